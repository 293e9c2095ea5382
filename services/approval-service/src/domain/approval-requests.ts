import { ApprovalDecision, checkedJsonObject, ListQuery, MAX_APPROVAL_NOTES_CHARS, MAX_APPROVAL_WAIT_SECONDS, plainText } from '@pingback/contracts';
import { z } from 'zod';

/** Context is what a reviewer reads before deciding; as long as a send's body. */
export const MAX_CONTEXT_CHARS = 4_000;
export const MAX_REVIEWERS_PER_APPROVAL = 10;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_JSON_DEPTH = 32;
const id = plainText().min(1).max(64);

/** POST /api/approvals (seed 002), with this product's optional reviewers, escalation, callback and metadata. */
export const CreateApprovalRequest = z.object({
  context: plainText()
    .max(MAX_CONTEXT_CHARS)
    .refine((text) => text.trim() !== '', 'must not be empty or blank'),
  timeout_seconds: z.number().int().min(1).max(86_400).default(300),
  timeout_action: z.enum(['deny', 'approve']).default('deny'),
  reviewers: z.array(id).min(1).max(MAX_REVIEWERS_PER_APPROVAL).optional(),
  escalation_reviewer: id.optional(),
  // No whitespace or control character anywhere: a URL has none, and a stored one must be the one that is sent.
  // eslint-disable-next-line no-control-regex
  callback_url: z.string().min(1).max(2_048).regex(/^[^\s\u0000-\u001f\u007f-\u009f]+$/, 'must be a URL without spaces or control characters').optional(),
  metadata: checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: MAX_JSON_DEPTH, maxBytes: MAX_METADATA_BYTES }).optional(),
});
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequest>;

/** POST /api/approvals/{id}/decide: the dashboard's (or any API caller's) decision. */
export const DecideApprovalRequest = z.object({
  decision: ApprovalDecision,
  notes: plainText().max(MAX_APPROVAL_NOTES_CHARS).optional(),
});

/** The `Idempotency-Key` header: printable ASCII, as most APIs take it (a problem is named after the header). */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 printable ASCII characters, no spaces').optional(),
});

/** GET /api/approvals?status=&limit=&cursor= */
export const ListApprovalsQuery = ListQuery.extend({ status: z.enum(['pending', 'approved', 'denied', 'expired']).optional() });

/** GET /api/approvals/{id}?wait=N: hold the poll up to N seconds (0–30) for a decision. */
export const ReadApprovalQuery = z.object({
  wait: z
    .string()
    .regex(/^\d{1,2}$/, 'a whole number of seconds, 0 to 30')
    .transform(Number)
    .pipe(z.number().max(MAX_APPROVAL_WAIT_SECONDS, 'a whole number of seconds, 0 to 30'))
    .default(0),
});
