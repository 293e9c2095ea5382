import type { ApprovalDeps } from '../approval-deps';
import type { ApprovalsTx } from '../data/prisma';
import { APPROVALS_TABLE } from './approval-row';
import { askReviewer } from './reviewer-messages';

/**
 * At 80 % of the timeout, once: the reviewers are reminded, and the escalation reviewer (if the approval names
 * one) is asked. Once even with two copies sweeping: `reminded_at` is set by a conditional update.
 */
export async function remindReviewers(tx: ApprovalsTx, deps: Pick<ApprovalDeps, 'keyring' | 'publicUrl' | 'now'>, approvalId: string): Promise<void> {
  const marked = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE ${APPROVALS_TABLE} SET reminded_at = clock_timestamp()
      WHERE id = $1 AND status = 'pending' AND reminded_at IS NULL AND clock_timestamp() < expires_at
      RETURNING id`,
    approvalId,
  );
  if (marked.length === 0) return;
  const approval = await tx.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const reviewers = await tx.approvalReviewer.findMany({ where: { approvalId }, orderBy: { reviewerId: 'asc' } });
  const at = deps.now();
  for (const reviewer of reviewers) {
    await askReviewer(tx, deps, approval, reviewer, reviewer.role === 'escalation' ? 'escalation' : 'reminder', at);
  }
}
