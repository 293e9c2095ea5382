import { toPage } from '@pingback/contracts';
import type { z } from 'zod';
import type { ApprovalDeps } from '../approval-deps';
import { approvalBody } from './approval-body';
import type { ListApprovalsQuery } from './approval-requests';

/** The account's approvals, newest first (ids are time-ordered), optionally by status: the dashboard's list. */
export async function listApprovals(deps: Pick<ApprovalDeps, 'db' | 'now'>, accountId: string, query: z.infer<typeof ListApprovalsQuery>) {
  const rows = await deps.db.approval.findMany({
    where: { accountId, ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  const now = deps.now();
  return toPage(rows, query.limit, (row) => approvalBody(row, now));
}
