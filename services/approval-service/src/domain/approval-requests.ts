import { ListQuery, MAX_APPROVAL_WAIT_SECONDS } from '@pingback/contracts';
import { z } from 'zod';

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
