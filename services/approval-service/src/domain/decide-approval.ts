import type { ApprovalDecision } from '@pingback/contracts';
import type { ApprovalDeps } from '../approval-deps';
import type { ApprovalsTx } from '../data/prisma';
import { alreadyDecided } from './approval-errors';
import { APPROVALS_TABLE, resultOf, statusOf, type ApprovalRow } from './approval-row';
import { settle } from './settle-approval';

export interface DecisionInput {
  approvalId: string;
  decision: ApprovalDecision;
  notes: string | null;
  /** A reviewer's name, or the API key's name. */
  decidedBy: string;
  via: 'api' | 'link' | 'message';
}

/** The decision's outcome: `won`, or the final state that was there first (or the time-out, applied now). */
export interface DecisionOutcome {
  won: boolean;
  row: ApprovalRow;
}

/**
 * The first decision wins, and only before the deadline: one conditional update on `status = 'pending'` and the
 * database's clock before `expires_at` (clock_timestamp(), the moment of the update, not the transaction's start),
 * so a decision at or after `expires_at` loses to the time-out whatever this process's clock says. A loser that found the time-out due but not yet applied applies it (and it commits with
 * the caller's transaction), so every reader sees the same final state; the caller answers it 409 already_decided
 * (`orAlreadyDecided`) once the transaction is over.
 */
export async function decideApproval(tx: ApprovalsTx, deps: Pick<ApprovalDeps, 'keyring' | 'publicUrl' | 'decidedNoteExpiresInMs'>, input: DecisionInput): Promise<DecisionOutcome> {
  const decided = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE ${APPROVALS_TABLE}
        SET status = $2, result = $3, notes = $4, decided_by = $5, decided_via = $6, decided_at = clock_timestamp()
      WHERE id = $1 AND status = 'pending' AND clock_timestamp() < expires_at
      RETURNING id`,
    input.approvalId,
    statusOf(input.decision),
    resultOf(input.decision),
    input.notes,
    input.decidedBy,
    input.via,
  );
  if (decided.length === 1) {
    const row = await tx.approval.findUniqueOrThrow({ where: { id: input.approvalId } });
    await settle(tx, deps, row);
    return { won: true, row };
  }
  const final = (await applyTimeoutIfDue(tx, deps, input.approvalId)) ?? (await tx.approval.findUniqueOrThrow({ where: { id: input.approvalId } }));
  return { won: false, row: final };
}

/** The winning decision's approval, or 409 already_decided carrying the final state that was there first. */
export function orAlreadyDecided(outcome: DecisionOutcome, now: Date): ApprovalRow {
  if (!outcome.won) throw alreadyDecided(outcome.row, now);
  return outcome.row;
}

/**
 * Applies the time-out action if the deadline has passed by the database's clock and no decision came first.
 * Returns the expired approval, or null when it was not due or already final. Decided at `expires_at`: that is
 * when the default took effect, whenever a sweep or a read got to it.
 */
export async function applyTimeoutIfDue(tx: ApprovalsTx, deps: Pick<ApprovalDeps, 'keyring' | 'publicUrl' | 'decidedNoteExpiresInMs'>, approvalId: string): Promise<ApprovalRow | null> {
  const expired = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE ${APPROVALS_TABLE}
        SET status = 'expired', result = CASE timeout_action WHEN 'approve' THEN 1 ELSE 0 END,
            decided_by = 'timeout', decided_via = 'timeout', decided_at = expires_at
      WHERE id = $1 AND status = 'pending' AND clock_timestamp() >= expires_at
      RETURNING id`,
    approvalId,
  );
  if (expired.length === 0) return null;
  const row = await tx.approval.findUniqueOrThrow({ where: { id: approvalId } });
  await settle(tx, deps, row);
  return row;
}
