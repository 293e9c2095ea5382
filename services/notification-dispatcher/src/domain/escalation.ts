import { envelopeFor, publications } from '@pingback/contracts';
import type { DueDeadline } from '@pingback/durable';
import { dispatcherDeadlines, dispatcherOutbox } from '../data/durable-tables';
import type { DispatcherTx } from '../data/prisma';
import { escalationRound, escalationStepCount } from './fanout-rounds';
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
 * the message was answered or expired, its destinations get a fan-out round, and the next step is scheduled,
 * its wait counted from now. Both commit with the deadline's removal, or neither does.
 */
export async function runEscalationStep(tx: DispatcherTx, deadline: DueDeadline): Promise<void> {
  const separator = deadline.key.lastIndexOf(':');
  const messageId = deadline.key.slice(0, separator);
  const step = Number(deadline.key.slice(separator + 1));
  const row = await tx.message.findUnique({ where: { id: messageId } });
  if (!row || row.answeredAt || (row.expiresAt && row.expiresAt <= new Date())) return;
  const content = contentOfRow(row);
  const policy = content.escalation;
  if (!policy) return;
  const round = escalationRound(step);
  const envelope = envelopeFor(publications.notificationFanout, { messageId, round, after: null }, { id: `fanout:${messageId}:${round}:start` });
  await dispatcherOutbox.append(tx, [{ id: envelope.id, publication: publications.notificationFanout.routingKey, envelope }]);
  const next = step + 1;
  if (next >= escalationStepCount(policy)) return;
  const wait = policy.steps[next % policy.steps.length]!.afterMs;
  await dispatcherDeadlines.schedule(tx, { kind: ESCALATION, key: keyOf(messageId, next), dueInMs: wait }, { onConflict: 'keep' });
}

/** The message was answered: its steps still to come are dropped (a step firing now finds it answered). */
export async function dropEscalation(tx: DispatcherTx, messageId: string): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM ${dispatcherDeadlines.table} WHERE kind = $1 AND starts_with(key, $2)`, ESCALATION, `${messageId}:`);
}
