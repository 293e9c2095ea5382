import type { ApprovalsTx } from '../data/prisma';
import type { ApprovalRow } from './approval-row';
import type { AskedReviewer } from './reviewer-messages';

/** The reviewers asked so far: those asked at once, and the escalation reviewer once the reminder went out. */
export async function askedReviewers(tx: ApprovalsTx, row: Pick<ApprovalRow, 'id' | 'remindedAt'>): Promise<AskedReviewer[]> {
  const rows = await tx.approvalReviewer.findMany({
    where: { approvalId: row.id, ...(row.remindedAt ? {} : { role: 'reviewer' }) },
    orderBy: { reviewerId: 'asc' },
  });
  return rows.map(({ reviewerId, name, channelIds }) => ({ reviewerId, name, channelIds }));
}
