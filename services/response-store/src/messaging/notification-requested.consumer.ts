import { createEnvelope, NotificationRequested } from '@pingback/contracts';
import type { Broker } from '@pingback/broker';
import type { MessageRepository } from '../data/message.repository';

export const RECORD_QUEUE = 'response-store:notification:record';

/**
 * Records each accepted send so its links can be answered, then hands it to the dispatcher. A redelivery
 * finds the rows there and publishes again; the dispatcher is idempotent, so that is safe.
 */
export function consumeNotificationRequested(broker: Broker, repo: MessageRepository): void {
  broker.consume(RECORD_QUEUE, NotificationRequested, async (message, ctx) => {
    await repo.recordOnce(message.payload);
    await broker.publish(
      'pingback.events',
      'notification.recorded',
      createEnvelope('notification.recorded', 1, message.payload, { traceId: ctx.traceId, id: `${message.id}:recorded` }),
    );
  });
}
