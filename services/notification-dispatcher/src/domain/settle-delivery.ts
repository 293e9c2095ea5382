import { envelopeFor, publications } from '@pingback/contracts';
import type { OutboxEntry } from '@pingback/durable';
import type { Prisma } from '../generated/prisma/client';
import { dispatcherOutbox } from '../data/durable-tables';
import type { DispatcherTx } from '../data/prisma';
import { eventBodies, eventOutbox, eventTargets, type DeliveryFacts } from './delivery-events';
import { fallbackRound } from './fanout-rounds';
import { contentOfRow, type NotificationContent } from './notification-content';

export interface ProviderError {
  code: string;
  message: string;
}

/** How one attempt of a delivery ended, from a provider adapter or from webhook-deliverer's report. */
export type AttemptOutcome =
  | { kind: 'delivered'; attempt: number; at: Date; latencyMs?: number; providerRef?: Record<string, string> }
  | { kind: 'retrying'; attempt: number; maxAttempts: number; nextRetryAt: Date; error: ProviderError; at: Date; latencyMs?: number }
  | { kind: 'failed'; attempts: number; error: ProviderError; bounced?: boolean; at: Date; latencyMs?: number };

/** Deliveries in these states may still change; the others are final. */
export const OPEN_STATUSES = ['pending', 'retrying'];

const attemptOf = (outcome: AttemptOutcome) => (outcome.kind === 'failed' ? outcome.attempts : outcome.attempt);

/**
 * Records an attempt's outcome inside the caller's transaction: the delivery's state (a final state is never
 * overwritten, so an outcome that arrives twice changes nothing twice), its attempt row, seed 003's event for it,
 * and, when it failed for good, the next fallback entry. Returns whether it changed the delivery.
 */
export async function settleDelivery(tx: DispatcherTx, deliveryId: string, outcome: AttemptOutcome, traceId?: string): Promise<boolean> {
  const delivery = await tx.delivery.findUnique({ where: { id: deliveryId }, include: { message: true } });
  if (!delivery || !OPEN_STATUSES.includes(delivery.status)) return false;
  const attempt = attemptOf(outcome);
  const firstAttemptAt = delivery.firstAttemptAt ?? outcome.at;
  const { count } = await tx.delivery.updateMany({ where: { id: deliveryId, status: { in: OPEN_STATUSES } }, data: deliveryChange(outcome, firstAttemptAt) });
  if (count === 0) return false;
  const attemptId = `${deliveryId}#${delivery.resends}.${attempt}`;
  await tx.deliveryAttempt.upsert({
    where: { id: attemptId },
    create: { id: attemptId, deliveryId, resend: delivery.resends, attempt, ...attemptRow(outcome) },
    update: attemptRow(outcome),
  });

  const content = contentOfRow(delivery.message);
  const facts: DeliveryFacts = { id: delivery.id, kind: delivery.kind, recipient: delivery.recipient };
  const targets = await eventTargets(tx, content);
  const outbox: OutboxEntry[] = eventOutbox(content, facts, eventBody(content, facts, outcome, firstAttemptAt), `${delivery.resends}.${attempt}`, targets, traceId);
  if (outcome.kind === 'failed' && !delivery.message.answeredAt) outbox.push(...(await startNextFallback(tx, content, traceId)));
  await dispatcherOutbox.append(tx, outbox);
  return true;
}

function deliveryChange(outcome: AttemptOutcome, firstAttemptAt: Date): Prisma.DeliveryUpdateManyMutationInput {
  const common = { firstAttemptAt, lastAttemptAt: outcome.at, updatedAt: outcome.at };
  switch (outcome.kind) {
    case 'delivered':
      return { ...common, status: 'delivered', attempts: outcome.attempt, deliveredAt: outcome.at, errorCode: null, lastError: null, ...(outcome.providerRef ? { providerRef: outcome.providerRef } : {}) };
    case 'retrying':
      return { ...common, status: 'retrying', attempts: outcome.attempt, errorCode: outcome.error.code, lastError: outcome.error.message };
    case 'failed':
      return { ...common, status: outcome.bounced ? 'bounced' : 'failed', attempts: outcome.attempts, errorCode: outcome.error.code, lastError: outcome.error.message };
  }
}

function attemptRow(outcome: AttemptOutcome) {
  const error = outcome.kind === 'delivered' ? { errorCode: null, errorMessage: null } : { errorCode: outcome.error.code, errorMessage: outcome.error.message };
  const result = outcome.kind === 'failed' && outcome.bounced ? 'bounced' : outcome.kind;
  return { outcome: result, ...error, latencyMs: outcome.latencyMs ?? null, at: outcome.at };
}

function eventBody(content: NotificationContent, facts: DeliveryFacts, outcome: AttemptOutcome, firstAttemptAt: Date) {
  switch (outcome.kind) {
    case 'delivered':
      return eventBodies.delivered(content, facts, { at: outcome.at, attempt: outcome.attempt });
    case 'retrying':
      return eventBodies.retrying(content, facts, { ...outcome, at: outcome.at });
    case 'failed':
      return eventBodies.failed(content, facts, {
        event: outcome.bounced ? 'notification.bounced' : 'notification.failed',
        error: outcome.error,
        attempts: outcome.attempts,
        firstAttemptAt,
        lastAttemptAt: outcome.at,
        at: outcome.at,
      });
  }
}

/**
 * A delivery failed for good: start the next fallback entry, if any is left (one entry per failure, taken by a
 * conditional update, so two failures at once start two different entries, never one twice).
 */
export async function startNextFallback(tx: DispatcherTx, content: NotificationContent, traceId?: string): Promise<OutboxEntry[]> {
  if (content.fallback.length === 0) return [];
  const rows = await tx.$queryRaw<{ started: number }[]>`
    UPDATE dispatcher.messages SET fallback_next = fallback_next + 1
     WHERE id = ${content.messageId} AND answered_at IS NULL AND fallback_next < jsonb_array_length(fallback)
     RETURNING fallback_next - 1 AS started`;
  const started = rows[0]?.started;
  if (started === undefined) return [];
  const round = fallbackRound(started);
  const envelope = envelopeFor(
    publications.notificationFanout,
    { messageId: content.messageId, round, after: null },
    { id: `fanout:${content.messageId}:${round}:start`, ...(traceId ? { traceId } : {}) },
  );
  return [{ id: envelope.id, publication: publications.notificationFanout.routingKey, envelope }];
}
