import type { Broker } from '@pingback/broker';
import { WebhookOutcome } from '@pingback/contracts';
import type { DeliveryRepository, DeliveryOutcome } from '../data/delivery.repository';

export const OUTCOME_QUEUE = 'notification-dispatcher:webhook:settled';

/** Keeps each webhook delivery's status in step with what webhook-deliverer reports. */
export function consumeWebhookOutcomes(broker: Broker, repo: DeliveryRepository): void {
  broker.consume(OUTCOME_QUEUE, WebhookOutcome, async (message) => {
    const deliveryId = message.payload.subject.deliveryId;
    if (message.payload.purpose !== 'notification' || !deliveryId) return;
    await repo.applyOutcome(deliveryId, toOutcome(message));
  });
}

function toOutcome(message: WebhookOutcome): DeliveryOutcome {
  switch (message.type) {
    case 'webhook.delivered':
      return { kind: 'delivered', attempt: message.payload.attempt, at: new Date(message.payload.at) };
    case 'webhook.attempted':
      return { kind: 'retrying', attempt: message.payload.attempt, error: message.payload.error.message };
    case 'webhook.failed':
      return { kind: 'failed', attempts: message.payload.attempts, error: message.payload.error.message };
  }
}
