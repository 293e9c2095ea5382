import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { MessageRepository } from '../data/message.repository';

/**
 * Records each accepted send so its links can be answered: the messages that arrived together in one
 * transaction. The dispatcher receives the same command at the same time and delivers it; a link opened before
 * the record is there waits for it (messageForLink).
 */
export function consumeNotificationRequested(broker: Broker, repo: MessageRepository): void {
  broker.consumeBatch(subscriptions.recordNotification, async (messages) => {
    await repo.recordOnce(messages.map((message) => message.payload));
  });
}
