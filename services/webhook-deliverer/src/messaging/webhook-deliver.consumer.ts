import { retryDelayMs, type MessageHandler, type QueueSpec } from '@pingback/broker';
import type { WebhookDeliver } from '@pingback/contracts';
import { deliverWebhook, type DeliverWebhookDeps } from '../domain/deliver-webhook';

/** The two queues of webhook.deliver commands; each runs its purpose's retry schedule (CONTRACT §6). */
export const DELIVER_QUEUES = ['webhook-deliverer:callback:deliver', 'webhook-deliverer:notification:deliver'] as const;

/**
 * Runs one attempt per delivery. A failed attempt that may be retried asks the broker for the next one (no
 * sooner than the receiver's Retry-After).
 */
export function webhookDeliverHandler(deps: DeliverWebhookDeps, queue: QueueSpec): MessageHandler<WebhookDeliver> {
  return async (message, ctx) => {
    const outcome = await deliverWebhook(deps, message.payload, {
      attempt: ctx.attempt,
      maxAttempts: ctx.maxAttempts,
      isLastAttempt: ctx.isLastAttempt,
      traceId: ctx.traceId || message.traceId,
      nextRetryDelayMs: (requestedMs) => retryDelayMs(queue, ctx.attempt, requestedMs),
    });
    if (outcome.kind === 'retry') ctx.retryAfterMs(outcome.retryAfterMs ?? 0);
  };
}
