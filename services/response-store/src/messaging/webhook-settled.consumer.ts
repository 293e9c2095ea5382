import { publications, subscriptions } from '@pingback/contracts';
import type { Broker } from '@pingback/broker';
import type { MessageRepository } from '../data/message.repository';

/** Ends an answer's callback: success starts the read window, failure makes an unread answer poll `failed`. */
export function consumeWebhookSettled(broker: Broker, repo: MessageRepository): void {
  broker.consume(subscriptions.settleCallback, async (message) => {
    const { purpose, subject } = message.payload;
    if (purpose !== 'callback' || subject.kind !== 'message') return;
    const outcome = message.type === publications.webhookDelivered.type ? 'succeeded' : 'failed';
    await repo.settleCallback(subject.id, outcome, new Date(message.payload.at));
  });
}
