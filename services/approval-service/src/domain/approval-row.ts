import type { ApprovalDecision, ApprovalStatus } from '@pingback/contracts';
import type { Approval } from '../generated/prisma/client';

export type ApprovalRow = Approval;

export const isFinal = (row: Pick<ApprovalRow, 'status'>) => row.status !== 'pending';

export const statusOf = (decision: ApprovalDecision): ApprovalStatus => (decision === 'approve' ? 'approved' : 'denied');

export const resultOf = (decision: ApprovalDecision): 0 | 1 => (decision === 'approve' ? 1 : 0);

/** Qualified names for raw SQL (Prisma's model API cannot compare a column with the database's now()). */
export const APPROVALS_TABLE = '"approvals"."approvals"';
