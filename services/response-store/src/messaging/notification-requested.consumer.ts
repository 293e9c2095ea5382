import { publications, subscriptions } from '@pingback/contracts';
import type { Broker } from '@pingback/broker';
import type { MessageRepository } from '../data/message.repository';

/**
 * Records each accepted send so its links can be answered, then hands it to the dispatcher. A redelivery
 * finds the rows there and publishes again; the dispatcher is idempotent, so that is safe.
 */
export function consumeNotificationRequested(broker: Broker, repo: MessageRepository): void {
  broker.consume(subscriptions.recordNotification, async (message, ctx) => {
    await repo.recordOnce(message.payload);
    await broker.publish(publications.notificationRecorded, message.payload, { traceId: ctx.traceId, id: `${message.id}:recorded` });
  });
}
