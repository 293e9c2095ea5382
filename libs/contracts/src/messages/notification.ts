import { z } from 'zod';
import { envelopeOf } from '../envelope';

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
});
export type CarriedAction = z.infer<typeof CarriedAction>;

/** One planned delivery of a message: the channel's web inbox, or one of its webhook destinations. */
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
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

/**
 * Gateway → response-store and dispatcher, at once: a send was accepted. Response-store records it so its links
 * can be answered; the dispatcher delivers it.
 */
export const NotificationRequested = envelopeOf('notification.requested', 1, NotificationPayload);
export type NotificationRequested = z.infer<typeof NotificationRequested>;
