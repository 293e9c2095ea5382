import type { Broker } from '@pingback/broker';
import { publications, subscriptions, type WebhookOutcome } from '@pingback/contracts';
import type { DeliveryRepository, DeliveryOutcome } from '../data/delivery.repository';

/**
 * Keeps each webhook delivery's status in step with what webhook-deliverer reports; the outcomes that arrived
 * together in one transaction.
 */
export function consumeWebhookOutcomes(broker: Broker, repo: DeliveryRepository): void {
  broker.consumeBatch(subscriptions.trackDeliveries, async (messages) => {
    await repo.applyOutcomes(
      messages
        .filter(({ payload }) => payload.purpose === 'notification' && payload.subject.kind === 'delivery')
        .map((message) => ({ deliveryId: message.payload.subject.id, outcome: toOutcome(message) })),
    );
  });
}

function toOutcome(message: WebhookOutcome): DeliveryOutcome {
  switch (message.type) {
    case publications.webhookDelivered.type:
      return { kind: 'delivered', attempt: message.payload.attempt, at: new Date(message.payload.at) };
    case publications.webhookAttempted.type:
      return { kind: 'retrying', attempt: message.payload.attempt, error: message.payload.error.message };
    case publications.webhookFailed.type:
      return { kind: 'failed', attempts: message.payload.attempts, error: message.payload.error.message };
  }
}
