import type { MessageHandler } from '@pingback/broker';
import type { WebhookDeliver } from '@pingback/contracts';
import { deliverWebhook, type DeliverWebhookDeps } from '../domain/deliver-webhook';

/**
 * Runs one attempt per delivery, on each purpose's queue (each has its purpose's retry schedule, CONTRACT §6).
 * A failed attempt that may be retried asks the broker for the next one (no sooner than the receiver's
 * Retry-After).
 */
export function webhookDeliverHandler(deps: DeliverWebhookDeps): MessageHandler<WebhookDeliver> {
  return async (message, ctx) => {
    const outcome = await deliverWebhook(deps, message.payload, {
      attempt: ctx.attempt,
      maxAttempts: ctx.maxAttempts,
      isLastAttempt: ctx.isLastAttempt,
      traceId: ctx.traceId || message.traceId,
      nextRetryDelayMs: ctx.nextRetryDelayMs,
    });
    if (outcome.kind === 'retry') ctx.retryAfterMs(outcome.retryAfterMs ?? 0);
  };
}
