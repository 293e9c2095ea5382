import { DomainError } from '@pingback/contracts';
import { approvalBody } from './approval-body';
import type { ApprovalRow } from './approval-row';

/** 409 already_decided (CONTRACT §4), carrying the final state every reader sees. */
export const alreadyDecided = (row: ApprovalRow, now: Date) =>
  new DomainError('already_decided', `this approval is already ${row.status}`, approvalBody(row, now));
