import { z } from 'zod';
import { DEFAULT_LIMITS } from '../limits';
import { checkedJsonObject } from './json-object';
import { plainText } from './text';

// Seed 004 (PingRoom): rooms, their incoming webhooks (secret fire URLs) and their one outgoing webhook.

/** Seed 004: a room carries at most four incoming webhooks, one per quick action 1–4. */
export const MAX_INCOMING_WEBHOOKS = 4;
/** Seed 004: a webhook's cooldown is 0 to 5 seconds, default 5 (CONTRACT §7). */
export const MAX_COOLDOWN_SECONDS = 5;

const name = () => plainText().trim().min(1).max(100);
/** A saved text of a webhook: trimmed, not empty (null clears it). */
const optionalText = (max: number) => plainText().trim().min(1).max(max).nullable().optional();
/** A ping's title: what its members see first, so never blank. */
const pingTitle = () => plainText().trim().min(1).max(40);
const actionNumber = () => z.number().int().min(1).max(MAX_INCOMING_WEBHOOKS);

/** An invite code as it appears in a path: 4–16 letters and digits (ours are 8 of an unambiguous alphabet). */
export const InviteCode = z.string().regex(/^[A-Za-z0-9]{4,16}$/);

export const CreateRoomRequest = z.object({ name: name() });
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

/** `PATCH` or `PUT /api/rooms/{inviteCode}`: rename. */
export const RenameRoomRequest = CreateRoomRequest;

export const RoomView = z.object({
  id: z.string(),
  name: z.string(),
  invite_code: z.string(),
  member_count: z.number().int(),
  webhook_count: z.number().int(),
  created_at: z.string(),
});
export type RoomView = z.infer<typeof RoomView>;

export const AddMemberRequest = z.object({ channel_id: z.string().min(1).max(100) });
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

export const MemberView = z.object({ channel_id: z.string(), name: z.string(), added_at: z.string() });
export type MemberView = z.infer<typeof MemberView>;

const webhookFields = {
  /** Who fires it, shown as the ping's sender ("CI"). */
  name: name().pipe(z.string().max(40)),
  /** The quick action's label ("Deploy done"). */
  label: optionalText(40),
  emoji: optionalText(16),
  sound: optionalText(64),
  /** The ping's title when a fire gives none (≤ 40, as a fire's). */
  title: optionalText(40),
  /** The ping's message when a fire gives none (≤ 500, as a fire's). */
  message: optionalText(500),
  cooldown: z.number().int().min(0).max(MAX_COOLDOWN_SECONDS).optional(),
  enabled: z.boolean().optional(),
};

/** `POST /api/rooms/{inviteCode}/webhooks`: the action number is the next free one, 1–4. */
export const CreateIncomingWebhookRequest = z.object(webhookFields);
export type CreateIncomingWebhookRequest = z.infer<typeof CreateIncomingWebhookRequest>;

/** `PUT /api/rooms/{inviteCode}/webhooks/{id}`: any of label, title, message, emoji, sound, cooldown, enabled, name. */
export const UpdateIncomingWebhookRequest = z.object({ ...webhookFields, name: webhookFields.name.optional() });
export type UpdateIncomingWebhookRequest = z.infer<typeof UpdateIncomingWebhookRequest>;

export const IncomingWebhookView = z.object({
  id: z.string(),
  name: z.string(),
  action_number: z.number().int(),
  label: z.string(),
  emoji: z.string().nullable(),
  sound: z.string().nullable(),
  title: z.string().nullable(),
  message: z.string().nullable(),
  cooldown: z.number().int(),
  enabled: z.boolean(),
  /** The fire URL, secret included: shown to the room's owner only, never cached (`Cache-Control: no-store`). */
  webhook_url: z.string(),
  secret: z.string(),
  created_at: z.string(),
});
export type IncomingWebhookView = z.infer<typeof IncomingWebhookView>;

/** Seed 004's fire body: every field optional; an empty POST or a GET fires the webhook's own action. */
export const FireRequest = z.object({
  title: pingTitle().optional(),
  message: plainText().max(500).optional(),
  action: actionNumber().optional(),
  data: checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: DEFAULT_LIMITS.jsonDepth, maxBytes: DEFAULT_LIMITS.dataBytes }).optional(),
});
export type FireRequest = z.infer<typeof FireRequest>;

/** Seed 004's 200 body of a fire, replayed byte for byte for its Idempotency-Key. */
export const FireResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  notification_id: z.string(),
  room: z.object({ id: z.string(), name: z.string() }),
  webhook: z.object({ id: z.string(), name: z.string(), emoji: z.string().nullable() }),
  action: z.object({ number: z.number().int(), label: z.string(), icon: z.string().nullable() }),
  notification_title: z.string(),
  notification_message: z.string(),
  /** Seed 004 writes `+00:00`. */
  triggered_at: z.string(),
});
export type FireResponse = z.infer<typeof FireResponse>;

/** How a ping was raised (seed 004's `trigger_source`). A ping by API is `manual` or `agent`. */
export const TriggerSource = z.enum(['manual', 'webhook', 'location', 'time', 'agent', 'test']);
export type TriggerSource = z.infer<typeof TriggerSource>;

/** `POST /api/rooms/{inviteCode}/ping`: a ping raised by API, on behalf of a person (`manual`) or an agent. */
export const RoomPingRequest = z.object({
  title: pingTitle().optional(),
  message: plainText().max(500).optional(),
  /** Shown as the sender (default "API" for manual, "Agent" for agent). */
  sender: plainText().trim().min(1).max(40).optional(),
  action: actionNumber().optional(),
  trigger_source: z.enum(['manual', 'agent']).default('manual'),
  data: FireRequest.shape.data,
});
export type RoomPingRequest = z.infer<typeof RoomPingRequest>;

/** What a ping by API answers: the fire's fields, and the message each member channel got. */
export const RoomPingResponse = z.object({
  notification_id: z.string(),
  room: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  notification_title: z.string(),
  notification_message: z.string(),
  sender: z.string(),
  action_number: z.number().int().nullable(),
  trigger_source: TriggerSource,
  triggered_at: z.string(),
  /** One message per member channel, each answerable on its own links (`GET /api/messages/{id}`). */
  messages: z.array(z.object({ channel_id: z.string(), message_id: z.string() })),
});
export type RoomPingResponse = z.infer<typeof RoomPingResponse>;

/** Seed 004's outgoing event: what lands at the room's URL on every ping. */
export const RoomPingEvent = z.object({
  event: z.literal('ping'),
  room: z.object({ name: z.string(), code: z.string() }),
  title: z.string(),
  /** "Sender: message". */
  body: z.string(),
  sender: z.string(),
  action_number: z.number().int().nullable(),
  trigger_source: TriggerSource,
  timestamp: z.string(),
});
export type RoomPingEvent = z.infer<typeof RoomPingEvent>;

/** `PUT /api/rooms/{inviteCode}/outgoing-webhook`: set url / enabled; `regenerate_secret` rotates the signing secret. */
export const UpdateOutgoingWebhookRequest = z.object({
  url: plainText().min(1).max(DEFAULT_LIMITS.urlChars).nullable().optional(),
  enabled: z.boolean().optional(),
  regenerate_secret: z.boolean().optional(),
});
export type UpdateOutgoingWebhookRequest = z.infer<typeof UpdateOutgoingWebhookRequest>;

export const OutgoingWebhookView = z.object({
  url: z.string().nullable(),
  /** Switched on by its owner and not switched off by its health (a 410, or 15 failed attempts in a row). */
  enabled: z.boolean(),
  signing_secret: z.string().nullable(),
  consecutive_failures: z.number().int(),
  disabled_at: z.string().nullable(),
  disabled_reason: z.enum(['gone', 'consecutive_failures']).nullable(),
  updated_at: z.string().nullable(),
});
export type OutgoingWebhookView = z.infer<typeof OutgoingWebhookView>;
