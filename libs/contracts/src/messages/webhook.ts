import { z } from 'zod';
import { envelopeOf } from '../envelope';

/** Which schedule and meaning an outgoing POST has (CONTRACT §6). */
export const WebhookPurpose = z.enum(['callback', 'notification']);
export type WebhookPurpose = z.infer<typeof WebhookPurpose>;

/** What the POST is about, so the services that asked for it can match the outcome. */
export const WebhookSubject = z.object({
  messageId: z.string(),
  channelId: z.string(),
  deliveryId: z.string().nullable(),
});
export type WebhookSubject = z.infer<typeof WebhookSubject>;

/**
 * Whose signing secrets sign the POST. The deliverer asks the owner (the gateway) for the current ones at every
 * attempt, so a rotation takes effect at once, also for messages sent before it (CONTRACT §6).
 */
export const WebhookSigner = z.object({ kind: z.literal('channel'), id: z.string() });
export type WebhookSigner = z.infer<typeof WebhookSigner>;

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
