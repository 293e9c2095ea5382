import { toSeedTimestamp, type NotificationPayload, type PlannedDelivery } from '@pingback/contracts';

/** CONTRACT §5: what a generic webhook destination receives for each notification. */
export function notificationWebhookBody(payload: NotificationPayload, delivery: PlannedDelivery, respondUrl: string, now: Date) {
  return {
    event: 'notification',
    message_id: payload.messageId,
    channel_id: payload.channelId,
    delivery_id: delivery.id,
    title: payload.title,
    body: payload.body,
    priority: payload.priority,
    actions: payload.actions,
    data: payload.data ?? {},
    respond_url: respondUrl,
    expires_at: toSeedTimestamp(payload.expiresAt),
    timestamp: toSeedTimestamp(now),
  };
}
