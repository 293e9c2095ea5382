import { toSeedTimestamp } from '@pingback/contracts';
import type { NotificationContent } from './notification-content';

/** CONTRACT §5: what a generic webhook destination receives for each notification. */
export function notificationWebhookBody(content: NotificationContent, deliveryId: string, respondUrl: string, now: Date) {
  return {
    event: 'notification',
    message_id: content.messageId,
    channel_id: content.channelId,
    delivery_id: deliveryId,
    title: content.title,
    body: content.body,
    priority: content.priority,
    actions: content.actions,
    data: content.data ?? {},
    respond_url: respondUrl,
    expires_at: toSeedTimestamp(content.expiresAt),
    timestamp: toSeedTimestamp(now),
  };
}
