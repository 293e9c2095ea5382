import { z } from 'zod';
import type { InternalRoute } from './route';

export const DeliveryView = z.object({
  id: z.string(),
  type: z.string(),
  destination_id: z.string().nullable(),
  url: z.string().nullable(),
  status: z.string(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  delivered_at: z.string().nullable(),
  respond_url: z.string(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const MessageDeliveries = z.object({
  id: z.string(),
  account_id: z.string(),
  channel_id: z.string(),
  deliveries: z.array(DeliveryView),
});
export type MessageDeliveries = z.infer<typeof MessageDeliveries>;

/** notification-dispatcher's internal port: the deliveries it owns. */
export const DispatcherRoutes = {
  messageDeliveries: { method: 'GET', pattern: '/internal/messages/:id', response: MessageDeliveries },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
