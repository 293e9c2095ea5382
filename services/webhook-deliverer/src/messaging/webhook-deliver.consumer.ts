import { NonRetryableError, retryDelayMs, type MessageHandler, type QueueSpec } from '@pingback/broker';
import type { WebhookDeliver } from '@pingback/contracts';
import { deliverWebhook, UnsendableWebhookError, type DeliverWebhookDeps } from '../domain/deliver-webhook';

/** The two queues of webhook.deliver commands; each runs its purpose's retry schedule (CONTRACT §6). */
export const DELIVER_QUEUES = ['webhook-deliverer:callback:deliver', 'webhook-deliverer:notification:deliver'] as const;

/**
 * Runs one attempt per delivery. A failed attempt that may be retried asks the broker for the next one (no
 * sooner than the receiver's Retry-After). A webhook that cannot be signed (a secret that does not decrypt under
 * PINGBACK_SECRET_KEY, say) parks the command: no retry can help, and an operator can replay it once it is fixed.
 */
export function webhookDeliverHandler(deps: DeliverWebhookDeps, queue: QueueSpec): MessageHandler<WebhookDeliver> {
  return async (message, ctx) => {
    let outcome;
    try {
      outcome = await deliverWebhook(deps, message.payload, {
        attempt: ctx.attempt,
        maxAttempts: ctx.maxAttempts,
        isLastAttempt: ctx.isLastAttempt,
        traceId: ctx.traceId || message.traceId,
        nextRetryDelayMs: (requestedMs) => retryDelayMs(queue, ctx.attempt, requestedMs),
      });
    } catch (err) {
      if (err instanceof UnsendableWebhookError) throw new NonRetryableError(err.message, { cause: err });
      throw err;
    }
    if (outcome.kind === 'retry') ctx.retryAfterMs(outcome.retryAfterMs ?? 0);
  };
}
