import { WebhookOutcome } from '@pingback/contracts';
import type { Broker } from '@pingback/broker';
import type { MessageRepository } from '../data/message.repository';

export const SETTLED_QUEUE = 'response-store:webhook:settled';

/** Ends an answer's callback: success starts the read window, failure makes an unread answer poll `failed`. */
export function consumeWebhookSettled(broker: Broker, repo: MessageRepository): void {
  broker.consume(SETTLED_QUEUE, WebhookOutcome, async (message) => {
    if (message.payload.purpose !== 'callback' || message.type === 'webhook.attempted') return;
    const outcome = message.type === 'webhook.delivered' ? 'succeeded' : 'failed';
    await repo.settleCallback(message.payload.subject.messageId, outcome, new Date(message.payload.at));
  });
}
