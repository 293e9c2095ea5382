import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { ApprovalResult, FinalApprovalStatus } from '../internal/approvals';

/**
 * What an approval another service asked for is about, so its decision can find its way back: the asking service,
 * the kind and id of its object, and `ref` (which request of that object it was: an object may ask again later).
 */
export const ApprovalSubject = z.object({
  service: z.literal('workflow-tracker'),
  kind: z.literal('instance'),
  id: z.string().min(1),
  ref: z.string().min(1),
});
export type ApprovalSubject = z.infer<typeof ApprovalSubject>;

/**
 * A service → approval-service: open an approval for the account's default reviewers. `key` makes a redelivery
 * the same approval (it is the approval's Idempotency-Key); the message id is the key too.
 */
export const ApprovalRequested = envelopeOf(
  'approval.requested',
  1,
  z.object({
    accountId: z.string().min(1),
    key: z.string().min(1).max(255),
    context: z.string().min(1),
    timeoutSeconds: z.number().int().min(1).max(86_400),
    timeoutAction: z.enum(['deny', 'approve']),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    subject: ApprovalSubject,
  }),
);
export type ApprovalRequested = z.infer<typeof ApprovalRequested>;

/**
 * approval-service → the service that asked: an approval with a subject reached its final state (a person
 * decided, or its time-out did). Published with the id `approval.decided:<approvalId>`, so a re-publish is the
 * same message.
 */
export const ApprovalDecided = envelopeOf(
  'approval.decided',
  1,
  z.object({
    accountId: z.string().min(1),
    approvalId: z.string().min(1),
    status: FinalApprovalStatus,
    result: ApprovalResult,
    decidedBy: z.string().nullable(),
    decidedAt: z.string(),
    subject: ApprovalSubject,
  }),
);
export type ApprovalDecided = z.infer<typeof ApprovalDecided>;
