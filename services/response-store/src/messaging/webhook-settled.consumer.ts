import { publications, subscriptions } from '@pingback/contracts';
import type { Broker } from '@pingback/broker';
import type { MessageRepository } from '../data/message.repository';

/**
 * Ends answers' callbacks, those settled together in one transaction: success starts the read window, failure
 * makes an unread answer poll `failed`. Other outgoing POSTs concern the dispatcher only.
 */
export function consumeWebhookSettled(broker: Broker, repo: MessageRepository): void {
  broker.consumeBatch(subscriptions.settleCallback, async (messages) => {
    await repo.settleCallbacks(
      messages
        .filter(({ payload }) => payload.purpose === 'callback' && payload.subject.kind === 'message')
        .map((message) => ({
          messageId: message.payload.subject.id,
          outcome: message.type === publications.webhookDelivered.type ? ('succeeded' as const) : ('failed' as const),
          at: new Date(message.payload.at),
        })),
    );
  });
}
