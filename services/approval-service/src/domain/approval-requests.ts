import { ApprovalDecision, checkedJsonObject, ListQuery, plainText } from '@pingback/contracts';
import { z } from 'zod';

/** Context is what a reviewer reads before deciding; as long as a send's body. */
export const MAX_CONTEXT_CHARS = 4_000;
export const MAX_NOTES_CHARS = 2_000;
export const MAX_REVIEWERS_PER_APPROVAL = 10;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_JSON_DEPTH = 32;
const id = plainText().min(1).max(64);

/** POST /api/approvals (seed 002), with this product's optional reviewers, escalation, callback and metadata. */
export const CreateApprovalRequest = z.object({
  context: plainText().min(1).max(MAX_CONTEXT_CHARS),
  timeout_seconds: z.number().int().min(1).max(86_400).default(300),
  timeout_action: z.enum(['deny', 'approve']).default('deny'),
  reviewers: z.array(id).min(1).max(MAX_REVIEWERS_PER_APPROVAL).optional(),
  escalation_reviewer: id.optional(),
  callback_url: plainText().min(1).max(2_048).optional(),
  metadata: checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: MAX_JSON_DEPTH, maxBytes: MAX_METADATA_BYTES }).optional(),
});
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequest>;

/** POST /api/approvals/{id}/decide: the dashboard's (or any API caller's) decision. */
export const DecideApprovalRequest = z.object({
  decision: ApprovalDecision,
  notes: plainText().max(MAX_NOTES_CHARS).optional(),
});

/** `Idempotency-Key`: printable ASCII, as most APIs take it. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 printable ASCII characters, no spaces');

/** GET /api/approvals?status=&limit=&cursor= */
export const ListApprovalsQuery = ListQuery.extend({ status: z.enum(['pending', 'approved', 'denied', 'expired']).optional() });

/** GET /api/approvals/{id}?wait=N: hold the poll up to N seconds (0–30) for a decision. */
export const ReadApprovalQuery = z.object({ wait: z.coerce.number().min(0).max(30).default(0) });
