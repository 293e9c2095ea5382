import type { DeadlineHandler } from '@pingback/durable';
import type { ApprovalDeps } from '../approval-deps';
import { approvalDeadlines } from '../data/durable-tables';
import type { ApprovalsTx } from '../data/prisma';
import type { ApprovalRow } from './approval-row';
import { applyTimeoutIfDue } from './decide-approval';
import { remindReviewers } from './remind-reviewers';

export const TIMEOUT = 'approval.timeout';
export const REMINDER = 'approval.reminder';

/** The reminder goes out at this share of the timeout. */
const REMINDER_AT = 0.8;

/** Schedules an approval's time-out at `expires_at` and its reminder at 80 % of the way there. */
export async function scheduleClocks(tx: ApprovalsTx, row: Pick<ApprovalRow, 'id' | 'createdAt' | 'expiresAt'>): Promise<void> {
  const remindAt = new Date(row.createdAt.getTime() + (row.expiresAt.getTime() - row.createdAt.getTime()) * REMINDER_AT);
  await approvalDeadlines.schedule(tx, { kind: TIMEOUT, key: row.id, dueAt: row.expiresAt });
  await approvalDeadlines.schedule(tx, { kind: REMINDER, key: row.id, dueAt: remindAt });
}

/**
 * A final approval needs neither clock. A clock a sweep holds right now is left to it: that sweep locked the
 * deadline and waits for the approval row this transaction holds, so waiting for it here would deadlock; once
 * it runs it finds the approval final, does nothing, and removes the deadline.
 */
export async function cancelClocks(tx: ApprovalsTx, approvalId: string): Promise<void> {
  await approvalDeadlines.cancelUnlessHeld(tx, TIMEOUT, approvalId);
  await approvalDeadlines.cancelUnlessHeld(tx, REMINDER, approvalId);
}

/**
 * The sweeper's handlers. Any copy may sweep; a due row is locked FOR UPDATE SKIP LOCKED and each change is a
 * conditional update, so two copies fire a time-out or a reminder once.
 */
export function approvalClocks(deps: ApprovalDeps): Record<string, DeadlineHandler<ApprovalsTx>> {
  return {
    // Polls waiting on it wake at `expires_at` by themselves (a read applies a due time-out too).
    [TIMEOUT]: async (tx, deadline) => void (await applyTimeoutIfDue(tx, deps, deadline.key)),
    [REMINDER]: (tx, deadline) => remindReviewers(tx, deps, deadline.key),
  };
}
