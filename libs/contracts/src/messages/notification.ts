import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { EscalationPolicy } from '../http/routing-policy';

/**
 * Actions as carried inside messages: already validated at the edge against the configured limits, so
 * consumers only check the shape (a limit raised by an operator must not park messages downstream).
 */
export const CarriedAction = z.object({
  type: z.enum(['button', 'select', 'text']),
  label: z.string(),
  key: z.string(),
  style: z.enum(['default', 'primary', 'destructive']).optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  placeholder: z.string().optional(),
  /**
   * A button with a `url` opens that link instead of answering on the delivery's respond link. Internal producers
   * only (approval-service's decision links); the public send API never sets it.
   */
  url: z.string().optional(),
});
export type CarriedAction = z.infer<typeof CarriedAction>;

/**
 * The delivery the gateway plans itself: the channel's web inbox (every other delivery is the dispatcher's, made
 * from the channel's destinations when it fans the message out).
 */
export const PlannedDelivery = z.object({
  id: z.string(),
  kind: z.enum(['web', 'webhook']),
  destinationId: z.string().nullable(),
  url: z.string().nullable(),
});
export type PlannedDelivery = z.infer<typeof PlannedDelivery>;

export const NotificationPayload = z.object({
  messageId: z.string(),
  accountId: z.string(),
  channelId: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  priority: z.enum(['low', 'normal', 'high']),
  actions: z.array(CarriedAction),
  data: z.record(z.string(), z.unknown()).nullable(),
  callbackUrl: z.string().nullable(),
  eventsUrl: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  deliveries: z.array(PlannedDelivery),
  /** Destination ids or kinds held back for fallback, in order. */
  fallback: z.array(z.string()).default([]),
  /** The send's own escalation policy; null: the channel's, if it has one. */
  escalation: EscalationPolicy.nullable().default(null),
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

/**
 * Gateway → response-store and dispatcher, at once: a send was accepted. Response-store records it so its links
 * can be answered; the dispatcher delivers it.
 */
export const NotificationRequested = envelopeOf('notification.requested', 1, NotificationPayload);
export type NotificationRequested = z.infer<typeof NotificationRequested>;

/**
 * Dispatcher → dispatcher: deliver one page of a message's round to the channel's destinations (keyset after
 * `after`), then ask for the next page. `round` is `primary`, `fallback:<n>` or `escalation:<n>`.
 */
export const NotificationFanout = envelopeOf(
  'notification.fanout',
  1,
  z.object({ messageId: z.string(), round: z.string(), after: z.string().nullable() }),
);
export type NotificationFanout = z.infer<typeof NotificationFanout>;

/**
 * Dispatcher → dispatcher: one attempt of one provider delivery (APNs, email, Slack, …; not webhooks), or, once the
 * message was answered, showing the answer where it was delivered (a Telegram edit, a PagerDuty resolve).
 */
export const NotificationDeliver = envelopeOf(
  'notification.deliver',
  1,
  z.object({ deliveryId: z.string(), kind: z.string(), purpose: z.enum(['send', 'show_answer']).default('send') }),
);
export type NotificationDeliver = z.infer<typeof NotificationDeliver>;

/** Response-store → anyone: a message got its first answer. */
export const MessageAnswered = envelopeOf(
  'message.answered',
  1,
  z.object({
    messageId: z.string(),
    accountId: z.string(),
    channelId: z.string(),
    deliveryId: z.string().nullable(),
    triggeredBy: z.string(),
    responses: z.record(z.string(), z.unknown()),
    answeredAt: z.string(),
  }),
);
export type MessageAnswered = z.infer<typeof MessageAnswered>;
