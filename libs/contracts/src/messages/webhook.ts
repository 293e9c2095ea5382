import { z } from 'zod';
import { envelopeOf } from '../envelope';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** How the brand header `X-Pingback-Signature` is written: `sha256=<hex>` (seed 003) or bare lower-case hex (seed 004). */
export type WebhookSignatureStyle = 'brand' | 'hex';

export interface WebhookPurposeSpec {
  /** CONTRACT §6: the first attempt, then one retry after each delay. */
  readonly retryDelaysMs: readonly number[];
  readonly signature: WebhookSignatureStyle;
}

/**
 * Every purpose of an outgoing POST, with its schedule and signature style (CONTRACT §6). The purpose enum, the
 * publication `webhook.deliver.<purpose>` (publications.ts) and the queue `webhook-deliverer:<purpose>:deliver`
 * (subscriptions.ts) are derived from this table, so a new purpose is one row here.
 *
 * A row costs a work queue, a parking queue and a delay queue per tier (about 16 quorum queues in every vhost,
 * which every test file declares), so a purpose gets its row in the issue that first sends it, not before. A new
 * purpose's signer kind needs a lookup in the deliverer (start-deliverer.ts).
 */
export const webhookPurposes = {
  /** Answer callbacks: 5 s, 15 s, 30 s, 1 min, 2 min, 5 min. */
  callback: { retryDelaysMs: [5 * SECOND, 15 * SECOND, 30 * SECOND, 1 * MINUTE, 2 * MINUTE, 5 * MINUTE], signature: 'brand' },
  /** Provider sends, the webhook destination among them: 1 min, 4 min (seed 003's `max_attempts: 3`). */
  notification: { retryDelaysMs: [1 * MINUTE, 4 * MINUTE], signature: 'brand' },
  /** Delivery events (seed 003): 30 s, 2 min, 10 min, 30 min, 1 h. */
  delivery_event: { retryDelaysMs: [30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, 60 * MINUTE], signature: 'brand' },
  /** A room's outgoing webhook (seed 004): 10 s, 30 s, 60 s, signed in bare lower-case hex. */
  room: { retryDelaysMs: [10 * SECOND, 30 * SECOND, 60 * SECOND], signature: 'hex' },
} as const satisfies Record<string, WebhookPurposeSpec>;

/** Which schedule and signature style an outgoing POST has: a key of `webhookPurposes`. */
export type WebhookPurpose = keyof typeof webhookPurposes;
export const WebhookPurpose = z.enum(Object.keys(webhookPurposes) as [WebhookPurpose, ...WebhookPurpose[]]);

/**
 * Whom the POST is about, so the service that asked for it can match the outcome, and any reader can find every
 * POST of an account or of one owner. `kind` names the owner (`message`, `delivery`, later `room`, `approval`…),
 * `id` is its id, `refs` the other ids its requester matches by (a callback's channel, a delivery's message).
 */
export const WebhookSubject = z.object({
  accountId: z.string().min(1),
  kind: z.string().min(1),
  id: z.string().min(1),
  refs: z.record(z.string(), z.string()),
});
export type WebhookSubject = z.infer<typeof WebhookSubject>;

/**
 * A URL an owner registered, whose health webhook-deliverer keeps (issue 13): a 410 or 15 failed attempts in a row
 * disable it. `destination`: a webhook destination (`dst_…`, the dispatcher's); `event_endpoint`: an account's
 * delivery-event URL (`ep_…`, the dispatcher's); `room_webhook`: a room's outgoing webhook (the room's id, the
 * gateway's). A send's own `callback_url` or `events_url` is no registered URL: its POST carries no endpoint.
 */
export const EndpointKind = z.enum(['destination', 'event_endpoint', 'room_webhook']);
export type EndpointKind = z.infer<typeof EndpointKind>;
export const EndpointRef = z.object({ kind: EndpointKind, id: z.string().min(1) });
export type EndpointRef = z.infer<typeof EndpointRef>;

/**
 * webhook-deliverer → anyone: a registered endpoint was switched off, because it answered 410 (`gone`) or failed
 * `consecutiveFailures` attempts in a row. Published with the id `endpoint.disabled:<kind>:<id>:<disabledAt ms>`,
 * so a re-publish is the same message.
 */
export const EndpointDisabled = envelopeOf(
  'endpoint.disabled',
  1,
  z.object({
    accountId: z.string(),
    endpoint: EndpointRef,
    url: z.string(),
    reason: z.enum(['gone', 'consecutive_failures']),
    consecutiveFailures: z.number().int(),
    disabledAt: z.string(),
  }),
);
export type EndpointDisabled = z.infer<typeof EndpointDisabled>;

/**
 * Whose signing secrets sign the POST: an owner's kind and id (`channel`, `endpoint`, `room`). The
 * deliverer looks the secrets up by kind, caching them until the owner publishes `signer.rotated`; a kind it has
 * no lookup for cannot be signed, and the POST fails for good.
 */
export const WebhookSigner = z.object({ kind: z.string().min(1), id: z.string().min(1) });
export type WebhookSigner = z.infer<typeof WebhookSigner>;

/** The owner of a signer → every webhook-deliverer process: its secrets changed (rotated) or are gone (deleted). */
export const SignerRotated = envelopeOf('signer.rotated', 1, WebhookSigner);
export type SignerRotated = z.infer<typeof SignerRotated>;

/** The gateway → every gateway process: a channel's token, secrets or destinations changed, or it is gone. */
export const ChannelChanged = envelopeOf('channel.changed', 1, z.object({ channelId: z.string().min(1) }));
export type ChannelChanged = z.infer<typeof ChannelChanged>;

export const WebhookError = z.object({ code: z.string(), message: z.string() });
export type WebhookError = z.infer<typeof WebhookError>;

/** Anyone → webhook-deliverer: POST this body to this URL, signed, on the purpose's schedule. */
export const WebhookDeliver = envelopeOf(
  'webhook.deliver',
  1,
  z.object({
    webhookId: z.string(),
    purpose: WebhookPurpose,
    url: z.string(),
    body: z.record(z.string(), z.unknown()),
    signer: WebhookSigner,
    subject: WebhookSubject,
    /** The registered URL this POST goes to, when it is one: its health counts this POST's attempts. */
    endpoint: EndpointRef.nullable().default(null),
  }),
);
export type WebhookDeliver = z.infer<typeof WebhookDeliver>;

/** What every outcome event repeats from its command, so the service that asked can match it. */
const WebhookIdentity = z.object({ webhookId: z.string(), purpose: WebhookPurpose, subject: WebhookSubject });

/** webhook-deliverer: one attempt failed and another is scheduled. */
export const WebhookAttempted = envelopeOf(
  'webhook.attempted',
  1,
  WebhookIdentity.extend({
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    error: WebhookError,
    nextRetryAt: z.string(),
  }),
);
export type WebhookAttempted = z.infer<typeof WebhookAttempted>;

export const WebhookDelivered = envelopeOf(
  'webhook.delivered',
  1,
  WebhookIdentity.extend({
    attempt: z.number().int(),
    status: z.number().int(),
    latencyMs: z.number(),
    at: z.string(),
  }),
);
export type WebhookDelivered = z.infer<typeof WebhookDelivered>;

export const WebhookFailed = envelopeOf(
  'webhook.failed',
  1,
  WebhookIdentity.extend({
    attempts: z.number().int(),
    error: WebhookError,
    at: z.string(),
  }),
);
export type WebhookFailed = z.infer<typeof WebhookFailed>;

/** What services that asked for a POST listen to. */
export const WebhookOutcome = z.discriminatedUnion('type', [WebhookDelivered, WebhookFailed, WebhookAttempted]);
export type WebhookOutcome = z.infer<typeof WebhookOutcome>;
