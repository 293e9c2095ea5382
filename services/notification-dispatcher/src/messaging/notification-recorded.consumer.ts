import type { Broker } from '@pingback/broker';
import { subscriptions, webhookDeliverPublications } from '@pingback/contracts';
import type { Keyring } from '@pingback/security';
import type { DeliveryRepository } from '../data/delivery.repository';
import { notificationWebhookBody } from '../domain/notification-webhook-body';
import { respondUrl } from '../domain/respond-url';

/**
 * Turns a recorded message into deliveries: the web inbox needs nothing more; each webhook destination
 * becomes a signed POST handed to webhook-deliverer, whose webhook-id is the delivery id (so a redelivered
 * message asks for the same POST again, and the deliverer sends it once).
 */
export function consumeNotificationRecorded(broker: Broker, deps: { repo: DeliveryRepository; keyring: Keyring; publicUrl: string }): void {
  broker.consume(subscriptions.dispatchNotification, async (message, ctx) => {
    const payload = message.payload;
    const now = new Date();
    await deps.repo.recordOnce(payload, now);
    for (const delivery of payload.deliveries) {
      if (delivery.kind !== 'webhook' || !delivery.url) continue;
      await broker.publish(
        webhookDeliverPublications.notification,
        {
          webhookId: delivery.id,
          purpose: 'notification',
          url: delivery.url,
          body: notificationWebhookBody(payload, delivery, respondUrl(deps.publicUrl, deps.keyring, delivery.id), now),
          signer: { kind: 'channel', id: payload.channelId },
          subject: {
            accountId: payload.accountId,
            kind: 'delivery',
            id: delivery.id,
            refs: { messageId: payload.messageId, channelId: payload.channelId },
          },
        },
        { traceId: ctx.traceId, id: `${delivery.id}:deliver` },
      );
    }
  });
}
