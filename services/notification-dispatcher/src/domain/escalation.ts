import { envelopeFor, publications } from '@pingback/contracts';
import type { DueDeadline } from '@pingback/durable';
import { dispatcherDeadlines, dispatcherOutbox } from '../data/durable-tables';
import type { DispatcherTx } from '../data/prisma';
import { escalationRound, escalationStepCount, escalationStepOf } from './fanout-rounds';
import { contentOfRow, type NotificationContent } from './notification-content';

export const ESCALATION = 'escalation';

const keyOf = (messageId: string, step: number) => `${messageId}:${step}`;

/** Schedules a new message's first step, in the transaction that records it. */
export async function scheduleFirstStep(tx: DispatcherTx, content: NotificationContent): Promise<void> {
  const first = content.escalation?.steps[0];
  if (!first) return;
  await dispatcherDeadlines.schedule(tx, { kind: ESCALATION, key: keyOf(content.messageId, 0), dueAt: new Date(content.createdAt.getTime() + first.afterMs) }, { onConflict: 'keep' });
}

/**
 * A step fell due (libs/durable's clock: once, whichever dispatcher copy takes it, even across a kill -9): unless
 * the message was answered or expired, its destinations get a fan-out round. The next step is scheduled when
 * that round has been handed out (see scheduleNextStep), so a step delayed by a crash never overtakes the next.
 */
export async function runEscalationStep(tx: DispatcherTx, deadline: DueDeadline): Promise<void> {
  const separator = deadline.key.lastIndexOf(':');
  const messageId = deadline.key.slice(0, separator);
  const step = Number(deadline.key.slice(separator + 1));
  const row = await tx.message.findUnique({ where: { id: messageId } });
  if (!row || row.answeredAt || (row.expiresAt && row.expiresAt <= new Date())) return;
  if (!contentOfRow(row).escalation) return;
  const round = escalationRound(step);
  const envelope = envelopeFor(publications.notificationFanout, { messageId, round, after: null }, { id: `fanout:${messageId}:${round}:start` });
  await dispatcherOutbox.append(tx, [{ id: envelope.id, publication: publications.notificationFanout.routingKey, envelope }]);
}

/**
 * A step's round was handed out to the last page: the next step falls due its wait from now. A page handled again
 * after a crash finds the next step already delivering and schedules nothing.
 */
export async function scheduleNextStep(tx: DispatcherTx, content: NotificationContent, round: string): Promise<void> {
  const step = escalationStepOf(round);
  const policy = content.escalation;
  if (step === null || !policy) return;
  const next = step + 1;
  if (next >= escalationStepCount(policy)) return;
  const nextRound = escalationRound(next);
  if (await tx.delivery.findFirst({ where: { messageId: content.messageId, round: nextRound }, select: { id: true } })) return;
  const wait = policy.steps[next % policy.steps.length]!.afterMs;
  await dispatcherDeadlines.schedule(tx, { kind: ESCALATION, key: keyOf(content.messageId, next), dueInMs: wait }, { onConflict: 'keep' });
}

/** The message was answered: its steps still to come are dropped (a step firing now finds it answered). */
export async function dropEscalation(tx: DispatcherTx, messageId: string): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM ${dispatcherDeadlines.table} WHERE kind = $1 AND starts_with(key, $2)`, ESCALATION, `${messageId}:`);
}
