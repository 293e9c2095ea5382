import type { Broker } from '@pingback/broker';
import { publications, subscriptions, type WebhookOutcome } from '@pingback/contracts';
import type { DispatcherTx } from '../data/prisma';
import type { DispatchDeps } from '../dispatch-deps';
import { settleDelivery, type AttemptOutcome } from '../domain/settle-delivery';

/** The deliverer's code for a receiver that answered 410 Gone: its URL is switched off (CONTRACT §6). */
const GONE = 'endpoint_gone';

const isGone = (message: WebhookOutcome) => message.type === publications.webhookFailed.type && message.payload.error.code === GONE;

/**
 * Keeps each webhook delivery in step with what webhook-deliverer reports: its state and attempts, seed 003's
 * events, and the fallback when it failed for good; a destination or event endpoint that answered 410 is switched
 * off. The outcomes that arrived together settle in one transaction.
 */
export function consumeWebhookOutcomes(broker: Broker, deps: DispatchDeps): void {
  broker.consumeBatch(subscriptions.trackDeliveries, async (messages) => {
    const deliveries = messages.filter(({ payload }) => payload.purpose === 'notification' && payload.subject.kind === 'delivery');
    const goneEndpoints = messages
      .filter((message) => message.payload.purpose === 'delivery_event' && isGone(message))
      .flatMap((message) => message.payload.subject.refs.endpointId ?? []);
    if (deliveries.length === 0 && goneEndpoints.length === 0) return;
    await deps.db.$transaction(async (tx) => {
      for (const message of deliveries) {
        await settleDelivery(tx, message.payload.subject.id, toOutcome(message), message.traceId);
        if (isGone(message)) await deactivateDestinationOf(tx, message.payload.subject.id);
      }
      if (goneEndpoints.length > 0) await tx.eventEndpoint.updateMany({ where: { id: { in: goneEndpoints }, disabledAt: null }, data: { disabledAt: new Date() } });
    });
    deps.kickOutbox();
  });
}

async function deactivateDestinationOf(tx: DispatcherTx, deliveryId: string): Promise<void> {
  const delivery = await tx.delivery.findUnique({ where: { id: deliveryId }, select: { destinationId: true } });
  if (delivery?.destinationId) await tx.destination.updateMany({ where: { id: delivery.destinationId }, data: { active: false } });
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
