import type { Broker } from '@pingback/broker';
import { publications, subscriptions, type EndpointDisabled, type ReceivedMessage, type WebhookOutcome } from '@pingback/contracts';
import type { DispatchDeps } from '../dispatch-deps';
import { handleEndpointDisabled } from '../domain/endpoint-disabled';
import { settleDelivery, type AttemptOutcome } from '../domain/settle-delivery';

type Tracked = ReceivedMessage<typeof subscriptions.trackDeliveries>;

const isEndpointDisabled = (message: Tracked): message is EndpointDisabled => message.type === publications.endpointDisabled.type;

/**
 * Keeps each webhook delivery in step with what webhook-deliverer reports: its state and attempts, seed 003's
 * events, and the fallback when it failed for good. An endpoint the deliverer switched off (`endpoint.disabled`) is
 * switched off here too and announced to the account's other event endpoints. What arrived together is handled in
 * one transaction.
 */
export function consumeWebhookOutcomes(broker: Broker, deps: DispatchDeps): void {
  broker.consumeBatch(subscriptions.trackDeliveries, async (messages) => {
    const disabled = messages.filter(isEndpointDisabled);
    const deliveries = messages
      .filter((message): message is WebhookOutcome => !isEndpointDisabled(message))
      .filter(({ payload }) => payload.purpose === 'notification' && payload.subject.kind === 'delivery');
    if (deliveries.length === 0 && disabled.length === 0) return;
    await deps.db.$transaction(async (tx) => {
      for (const message of deliveries) await settleDelivery(tx, message.payload.subject.id, toOutcome(message), message.traceId);
      for (const message of disabled) await handleEndpointDisabled(tx, message);
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
