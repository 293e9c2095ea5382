import type { ConsumeContext } from '@pingback/broker';
import type { DestinationKind } from '@pingback/contracts';
import type { DestinationAdapter, SendResult } from '../adapters/adapter';
import type { DispatchDeps } from '../dispatch-deps';
import { adapterSettings } from './destination-settings';
import { contentOfRow } from './notification-content';
import { RateLimitWaitExceeded } from './provider-rate-limits';
import { respondUrl } from './respond-url';
import { OPEN_STATUSES, settleDelivery, type AttemptOutcome } from './settle-delivery';

/** What the dispatcher does when an attempt should retry: fail it and ask the broker for the next one. */
export type AttemptVerdict = { retryAfterMs: number } | null;

const failed = (code: string, message: string): SendResult => ({ kind: 'failed', code, message });

/**
 * One attempt of a provider delivery. Nothing is sent for a delivery already settled, nor once the message was
 * answered (the delivery is cancelled: the person was reached another way). The adapter's answer is recorded with
 * its event; a retry is asked of the broker on the provider schedule (1 min, 4 min), or after the provider's
 * Retry-After when it gave one; the last attempt's retry is a failure.
 */
export async function attemptProviderDelivery(deps: DispatchDeps, deliveryId: string, ctx: ConsumeContext): Promise<AttemptVerdict> {
  const delivery = await deps.db.delivery.findUnique({ where: { id: deliveryId }, include: { message: true } });
  if (!delivery || !OPEN_STATUSES.includes(delivery.status)) return null;
  if (delivery.message.answeredAt) {
    await deps.db.delivery.updateMany({ where: { id: deliveryId, status: { in: OPEN_STATUSES } }, data: { status: 'cancelled', updatedAt: new Date() } });
    return null;
  }
  const content = contentOfRow(delivery.message);
  const destination = delivery.destinationId ? await deps.db.destination.findUnique({ where: { id: delivery.destinationId } }) : null;
  const adapter = deps.adapters[delivery.kind as DestinationKind] as DestinationAdapter<Record<string, unknown>> | undefined;

  const startedAt = new Date();
  let result: SendResult;
  if (!destination) result = failed('DESTINATION_REMOVED', 'the destination was removed before it could be delivered to');
  else if (!destination.active) result = failed('DESTINATION_INACTIVE', 'the provider said this address is gone for good');
  else if (!adapter) result = failed('PROVIDER_NOT_CONFIGURED', `this deployment has no ${delivery.kind} provider configured`);
  else {
    const settings = adapterSettings(deps.keyring, destination) as Record<string, unknown>;
    try {
      await deps.rateLimits.acquire(delivery.kind, settings);
      result = await adapter.send(settings, {
        messageId: content.messageId,
        deliveryId,
        channelId: content.channelId,
        title: content.title,
        body: content.body,
        priority: content.priority,
        actions: content.actions,
        data: content.data,
        respondUrl: respondUrl(deps.publicUrl, deps.keyring, deliveryId),
        expiresAt: content.expiresAt.toISOString(),
        attempt: ctx.attempt,
      });
    } catch (error) {
      // Adapters map every provider answer; what reaches here is a wait for the shared rate limit, or our bug.
      const message = error instanceof RateLimitWaitExceeded ? error.message : `the ${delivery.kind} adapter failed: ${String(error)}`;
      result = { kind: 'retry', code: error instanceof RateLimitWaitExceeded ? 'RATE_LIMITED' : 'ADAPTER_ERROR', message };
    }
  }
  const at = new Date();
  const latencyMs = at.getTime() - startedAt.getTime();
  const retry = result.kind === 'retry' && !ctx.isLastAttempt;
  const outcome: AttemptOutcome =
    result.kind === 'delivered'
      ? { kind: 'delivered', attempt: ctx.attempt, at, latencyMs, ...(result.providerRef ? { providerRef: result.providerRef } : {}) }
      : retry && result.kind === 'retry'
        ? {
            kind: 'retrying',
            attempt: ctx.attempt,
            maxAttempts: ctx.maxAttempts,
            nextRetryAt: new Date(at.getTime() + ctx.nextRetryDelayMs(result.retryAfterMs)),
            error: { code: result.code, message: result.message },
            at,
            latencyMs,
          }
        : { kind: 'failed', attempts: ctx.attempt, error: { code: result.code, message: result.message }, bounced: result.kind === 'failed' && result.bounced === true, at, latencyMs };

  await deps.db.$transaction(async (tx) => {
    await settleDelivery(tx, deliveryId, outcome, ctx.traceId);
    if (result.kind === 'failed' && result.deactivate && destination) await tx.destination.updateMany({ where: { id: destination.id }, data: { active: false } });
  });
  deps.kickOutbox();
  return retry && result.kind === 'retry' ? { retryAfterMs: result.retryAfterMs ?? 0 } : null;
}

/** After the answer: the adapter shows it where this delivery went (edits the Telegram message, resolves the incident). */
export async function showAnswer(deps: DispatchDeps, deliveryId: string): Promise<void> {
  const delivery = await deps.db.delivery.findUnique({ where: { id: deliveryId }, include: { message: true } });
  if (!delivery?.providerRef || !delivery.message.answer || !delivery.destinationId) return;
  const adapter = deps.adapters[delivery.kind as DestinationKind] as DestinationAdapter<Record<string, unknown>> | undefined;
  const destination = await deps.db.destination.findUnique({ where: { id: delivery.destinationId } });
  if (!adapter?.showAnswer || !destination) return;
  const answer = delivery.message.answer as { triggeredBy: string; responses: Record<string, unknown>; answeredAt: string };
  await adapter.showAnswer(adapterSettings(deps.keyring, destination) as Record<string, unknown>, delivery.providerRef as Record<string, string>, answer);
}
