import { toSeedTimestamp, type ApprovalCreated, type ApprovalStatus, type ApprovalView } from '@pingback/contracts';
import type { ApprovalRow } from './approval-row';

/** The 201 of POST /api/approvals, as seed 002 writes it. */
export const createdBody = (row: ApprovalRow): ApprovalCreated => ({
  approval_id: row.id,
  status: 'pending',
  result: null,
  expires_at: toSeedTimestamp(row.expiresAt),
});

/**
 * GET /api/approvals/{id}, as seed 002 writes it: pending with `seconds_remaining`; decided with `result`, `notes`,
 * `decided_by`; the seed's fields first, then what a reader also wants (when, what about, the caller's metadata).
 */
export function approvalBody(row: ApprovalRow, now: Date): ApprovalView {
  const about = {
    context: row.context,
    timeout_action: row.timeoutAction,
    expires_at: toSeedTimestamp(row.expiresAt),
    created_at: toSeedTimestamp(row.createdAt),
    // Stored as the JSON object the request carried (CreateApprovalRequest), or null.
    metadata: (row.metadata ?? null) as ApprovalView['metadata'],
  };
  if (row.status === 'pending') {
    const secondsRemaining = Math.max(0, Math.ceil((row.expiresAt.getTime() - now.getTime()) / 1000));
    return { approval_id: row.id, status: 'pending', result: null, seconds_remaining: secondsRemaining, ...about };
  }
  return {
    approval_id: row.id,
    status: row.status as Exclude<ApprovalStatus, 'pending'>,
    result: row.result,
    notes: row.notes,
    decided_by: row.decidedBy,
    /** How: `api` (decided_by is the API key's name), `link` or `message` (a reviewer's name), `timeout`. */
    decided_via: row.decidedVia,
    decided_at: row.decidedAt ? toSeedTimestamp(row.decidedAt) : null,
    ...about,
  };
}
