import type { Broker } from '@pingback/broker';
import { subscriptions, webhookDeliverPublications, type NotificationRequested } from '@pingback/contracts';
import type { Keyring } from '@pingback/security';
import type { DeliveryRepository } from '../data/delivery.repository';
import { notificationWebhookBody } from '../domain/notification-webhook-body';
import { respondUrl } from '../domain/respond-url';

/**
 * Turns accepted sends into deliveries: the messages that arrived together are recorded in one transaction; the
 * web inbox needs nothing more; each webhook destination becomes a signed POST handed to webhook-deliverer,
 * whose webhook-id is the delivery id (so a redelivered message asks for the same POST again, and the deliverer
 * sends it once). The publishes go out together and are confirmed together.
 */
export function consumeNotificationRequested(broker: Broker, deps: { repo: DeliveryRepository; keyring: Keyring; publicUrl: string }): void {
  broker.consumeBatch(subscriptions.dispatchNotification, async (messages) => {
    const now = new Date();
    await deps.repo.recordOnce(
      messages.map((message) => message.payload),
      now,
    );
    await Promise.all(messages.flatMap((message) => deliverCommands(broker, deps, message, now)));
  });
}

function deliverCommands(broker: Broker, deps: { keyring: Keyring; publicUrl: string }, message: NotificationRequested, now: Date): Promise<unknown>[] {
  const payload = message.payload;
  return payload.deliveries
    .filter((delivery) => delivery.kind === 'webhook' && delivery.url)
    .map((delivery) =>
      broker.publish(
        webhookDeliverPublications.notification,
        {
          webhookId: delivery.id,
          purpose: 'notification',
          url: delivery.url as string,
          body: notificationWebhookBody(payload, delivery, respondUrl(deps.publicUrl, deps.keyring, delivery.id), now),
          signer: { kind: 'channel', id: payload.channelId },
          subject: {
            accountId: payload.accountId,
            kind: 'delivery',
            id: delivery.id,
            refs: { messageId: payload.messageId, channelId: payload.channelId },
          },
        },
        { traceId: message.traceId, id: `${delivery.id}:deliver` },
      ),
    );
}
