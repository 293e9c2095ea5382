import type { Broker } from '@pingback/broker';
import { publications, subscriptions, type WebhookOutcome } from '@pingback/contracts';
import type { DispatchDeps } from '../dispatch-deps';
import { settleDelivery, type AttemptOutcome } from '../domain/settle-delivery';

/**
 * Keeps each webhook delivery in step with what webhook-deliverer reports: its state and attempts, seed 003's
 * events, and the fallback when it failed for good. The outcomes that arrived together settle in one transaction.
 */
export function consumeWebhookOutcomes(broker: Broker, deps: DispatchDeps): void {
  broker.consumeBatch(subscriptions.trackDeliveries, async (messages) => {
    const ours = messages.filter(({ payload }) => payload.purpose === 'notification' && payload.subject.kind === 'delivery');
    if (ours.length === 0) return;
    await deps.db.$transaction(async (tx) => {
      for (const message of ours) await settleDelivery(tx, message.payload.subject.id, toOutcome(message), message.traceId);
    });
    deps.kickOutbox();
  });
}

function toOutcome(message: WebhookOutcome): AttemptOutcome {
  switch (message.type) {
    case publications.webhookDelivered.type:
      return { kind: 'delivered', attempt: message.payload.attempt, at: new Date(message.payload.at), latencyMs: Math.round(message.payload.latencyMs) };
    case publications.webhookAttempted.type:
      return {
        kind: 'retrying',
        attempt: message.payload.attempt,
        maxAttempts: message.payload.maxAttempts,
        nextRetryAt: new Date(message.payload.nextRetryAt),
        error: message.payload.error,
        at: new Date(message.occurredAt),
      };
    case publications.webhookFailed.type:
      return { kind: 'failed', attempts: message.payload.attempts, error: message.payload.error, at: new Date(message.payload.at) };
  }
}
