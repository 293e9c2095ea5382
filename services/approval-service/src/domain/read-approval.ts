import { mustOwn } from '@pingback/contracts';
import type { ApprovalDeps } from '../approval-deps';
import type { ApprovalRow } from './approval-row';
import { announceFinal } from './announce-final';
import { applyTimeoutIfDue } from './decide-approval';

/** Naps no shorter than this while the database's clock has not yet reached a deadline this process sees passed. */
const MIN_NAP_MS = 100;
/** Read a little after `expires_at`, so the database's clock has passed it too. */
const AFTER_EXPIRY_MS = 50;

/**
 * An approval as its owner reads it (403 for another account's). A pending one whose deadline has passed is
 * expired by this read if no sweep got to it yet, so a poll never says pending after the deadline for long.
 */
export async function readApproval(deps: ApprovalDeps, accountId: string, approvalId: string): Promise<ApprovalRow> {
  return withDueTimeout(deps, mustOwn(await deps.db.approval.findUnique({ where: { id: approvalId } }), accountId, 'approval'));
}

/** The approval as read, or, when it is pending past its deadline, as the time-out leaves it. */
export function withDueTimeout(deps: ApprovalDeps, row: ApprovalRow): Promise<ApprovalRow> | ApprovalRow {
  return row.status === 'pending' && row.expiresAt.getTime() <= deps.now().getTime() ? expireIfDue(deps, row) : row;
}

async function expireIfDue(deps: ApprovalDeps, row: ApprovalRow): Promise<ApprovalRow> {
  const expired = await deps.db.$transaction((tx) => applyTimeoutIfDue(tx, deps, row.id));
  if (!expired) return (await deps.db.approval.findUnique({ where: { id: row.id } })) ?? row;
  announceFinal(deps, row.id);
  return expired;
}

/**
 * `?wait=N`: reads, and while the approval is pending sleeps (holding no database connection) until a decision is
 * announced, the deadline passes, the recheck interval ends or N seconds are up, then reads again.
 */
export async function waitForDecision(deps: ApprovalDeps & { recheckMs: number }, accountId: string, approvalId: string, waitSeconds: number, signal?: AbortSignal): Promise<ApprovalRow> {
  let row = await readApproval(deps, accountId, approvalId);
  const waitEnds = Date.now() + waitSeconds * 1000;
  while (row.status === 'pending' && Date.now() < waitEnds && !signal?.aborted) {
    const untilExpiry = row.expiresAt.getTime() - deps.now().getTime() + AFTER_EXPIRY_MS;
    const nap = Math.min(waitEnds - Date.now(), deps.recheckMs, Math.max(untilExpiry, MIN_NAP_MS));
    if (!(await deps.waiters.wait(approvalId, nap, signal))) break;
    row = await readApproval(deps, accountId, approvalId);
  }
  return row;
}
