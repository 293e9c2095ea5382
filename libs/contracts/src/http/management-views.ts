import { z } from 'zod';
import { DeliveryView, EventEndpointView } from '../internal/dispatcher';
import { PublicMessage } from '../internal/response-store';
import { ChannelView } from './management';

// What the gateway's own routes answer beyond the views of management.ts and management-lists.ts.

/** `POST /admin/accounts` (201): the account and its first API key, shown once. */
export const AccountCreated = z.object({ id: z.string(), name: z.string(), api_key: z.string(), created_at: z.string() });
export type AccountCreated = z.infer<typeof AccountCreated>;

/** `POST /api/keys` (201): the key, shown once. */
export const ApiKeyCreated = z.object({ id: z.string(), name: z.string().nullable(), api_key: z.string(), hint: z.string().nullable(), created_at: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

/** `POST /api/channels` (201): the channel with its token and signing secret, both shown here. */
export const ChannelCreated = ChannelView.extend({ token: z.string(), signing_secret: z.string() });
/** `GET /api/channels/{id}` and `POST …/rotate-secret`: the channel with its (new) signing secret. */
export const ChannelWithSecret = ChannelView.extend({ signing_secret: z.string() });
/** `POST /api/channels/{id}/rotate-token`: the channel with its new token (and a new inbox URL). */
export const ChannelWithToken = ChannelView.extend({ token: z.string() });

/** `GET /api/endpoints`: every event endpoint of the account (at most five: one page), without their secrets. */
export const EventEndpointList = z.object({ data: z.array(EventEndpointView) });

/** A channel's escalation policy as `PUT` takes it (`"after": "2m"`), so what is read can be sent back; null when none. */
export const ChannelEscalationPolicy = z.object({
  channel_id: z.string(),
  escalation: z.object({ steps: z.array(z.object({ after: z.string(), destinations: z.array(z.string()) })), repeat: z.number().int() }).nullable(),
});

/** `POST /api/deliveries/{id}/resend` (202): a new round of attempts is under way. */
export const ResendAccepted = z.object({ id: z.string(), status: z.string().describe('pending') });

/** `GET /api/messages/{id}`: the message, its answer, and its deliveries with their respond links and attempts. */
export const MessageDetail = PublicMessage.extend({
  callback_state: z.string().nullable(),
  /** Deliveries beyond the first PINGBACK_MESSAGE_VIEW_DELIVERIES are counted, not listed. */
  delivery_count: z.number().int(),
  deliveries: z.array(DeliveryView),
});
export type MessageDetail = z.infer<typeof MessageDetail>;

/** `POST /r/{token}` as JSON (201): the answer recorded. */
export const AnswerAccepted = z.object({ ok: z.literal(true), message_id: z.string(), answer: PublicMessage.shape.answer });

/** `POST /v1/telegram/{secret}`: Telegram only needs a 200. */
export const TelegramAcknowledged = z.object({ ok: z.literal(true) });

/** `GET /inbox/{token}` asked for JSON (the page's own script): which messages there are and their states, no links. */
export const InboxSummary = z.object({
  data: z.array(z.object({ id: z.string(), title: z.string(), priority: z.string(), state: z.enum(['waiting', 'answered', 'expired']), created_at: z.string() })),
  next_before: z.string().nullable(),
});

/** `GET /openapi.json`: this API's OpenAPI 3.1 document. */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

/** `GET /api/account/signing-secret` and `POST /api/account/rotate-secret`: the account's signing secret. */
export const AccountSigningSecret = z.object({ signing_secret: z.string().describe('`whsec_` followed by the base64 of 32 random bytes') });
export type AccountSigningSecret = z.infer<typeof AccountSigningSecret>;
