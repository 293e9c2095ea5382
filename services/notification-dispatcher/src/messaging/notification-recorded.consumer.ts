import type { Broker } from '@pingback/broker';
import { createEnvelope, NotificationRecorded, type WebhookDeliver } from '@pingback/contracts';
import type { Keyring } from '@pingback/security';
import type { DeliveryRepository } from '../data/delivery.repository';
import { notificationWebhookBody } from '../domain/notification-webhook-body';
import { respondUrl } from '../domain/respond-url';

export const DISPATCH_QUEUE = 'notification-dispatcher:notification:dispatch';

/**
 * Turns a recorded message into deliveries: the web inbox needs nothing more; each webhook destination
 * becomes a signed POST handed to webhook-deliverer, whose webhook-id is the delivery id (so a redelivered
 * message asks for the same POST again, and the deliverer sends it once).
 */
export function consumeNotificationRecorded(broker: Broker, deps: { repo: DeliveryRepository; keyring: Keyring; publicUrl: string }): void {
  broker.consume(DISPATCH_QUEUE, NotificationRecorded, async (message, ctx) => {
    const payload = message.payload;
    const now = new Date();
    await deps.repo.recordOnce(payload, now);
    for (const delivery of payload.deliveries) {
      if (delivery.kind !== 'webhook' || !delivery.url) continue;
      const command: WebhookDeliver = createEnvelope(
        'webhook.deliver',
        1,
        {
          webhookId: delivery.id,
          purpose: 'notification' as const,
          url: delivery.url,
          body: notificationWebhookBody(payload, delivery, respondUrl(deps.publicUrl, deps.keyring, delivery.id), now),
          signer: { kind: 'channel' as const, id: payload.channelId },
          subject: { messageId: payload.messageId, channelId: payload.channelId, deliveryId: delivery.id },
        },
        { traceId: ctx.traceId, id: `${delivery.id}:deliver` },
      );
      await broker.publish('pingback.commands', 'webhook.deliver.notification', command);
    }
  });
}
