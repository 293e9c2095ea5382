import { DomainError, type ApprovalSubject, type CreateApprovalRequest } from '@pingback/contracts';
import { isUniqueViolation } from '@pingback/db';
import { checkUrlSyntax, newId, UnsafeUrlError } from '@pingback/security';
import type { ApprovalDeps } from '../approval-deps';
import type { ApprovalsTx } from '../data/prisma';
import { scheduleClocks } from './approval-clock';
import type { ApprovalRow } from './approval-row';
import { askReviewer } from './reviewer-messages';
import { resolveReviewers } from './resolve-reviewers';

export interface Created {
  row: ApprovalRow;
  /** An earlier create with the same Idempotency-Key made it. */
  replayed: boolean;
}

/**
 * Records an approval, schedules its time-out and reminder, and asks its reviewers (the named ones, or the account's
 * default reviewers) through the outbox, all in one transaction. With an Idempotency-Key, a retried create answers
 * the approval the first one made (a unique index on account and key decides between racing retries). An approval
 * another service asked for carries its `subject`, so its final state can be announced back to that service.
 */
export async function createApproval(
  deps: ApprovalDeps,
  accountId: string,
  request: CreateApprovalRequest,
  idempotencyKey: string | null,
  subject: ApprovalSubject | null = null,
): Promise<Created> {
  const callbackUrl = checkedCallbackUrl(request.callback_url, deps.allowPrivateTargets);
  if (idempotencyKey) {
    const earlier = await deps.db.approval.findUnique({ where: { accountId_idempotencyKey: { accountId, idempotencyKey } } });
    if (earlier) return { row: earlier, replayed: true };
  }
  try {
    const row = await deps.db.$transaction((tx) => insertApproval(tx, deps, accountId, request, { callbackUrl, idempotencyKey, subject }));
    deps.kickOutbox();
    return { row, replayed: false };
  } catch (err) {
    if (!idempotencyKey || !isUniqueViolation(err)) throw err;
    const earlier = await deps.db.approval.findUniqueOrThrow({ where: { accountId_idempotencyKey: { accountId, idempotencyKey } } });
    return { row: earlier, replayed: true };
  }
}

async function insertApproval(
  tx: ApprovalsTx,
  deps: ApprovalDeps,
  accountId: string,
  request: CreateApprovalRequest,
  { callbackUrl, idempotencyKey, subject }: { callbackUrl: string | null; idempotencyKey: string | null; subject: ApprovalSubject | null },
): Promise<ApprovalRow> {
  const reviewers = await resolveReviewers(tx, accountId, request.reviewers, request.escalation_reviewer);
  // The database's clock: the one that decides between a decision and the time-out.
  const [{ now }] = await tx.$queryRawUnsafe<[{ now: Date }]>('SELECT clock_timestamp() AS now');
  const row = await tx.approval.create({
    data: {
      id: newId('apr_'),
      accountId,
      context: request.context,
      timeoutSeconds: request.timeout_seconds,
      timeoutAction: request.timeout_action,
      expiresAt: new Date(now.getTime() + request.timeout_seconds * 1000),
      callbackUrl,
      ...(request.metadata ? { metadata: request.metadata as object } : {}),
      idempotencyKey,
      ...(subject ? { subject } : {}),
      createdAt: now,
    },
  });
  await tx.approvalReviewer.createMany({
    data: reviewers.map((reviewer) => ({ approvalId: row.id, reviewerId: reviewer.id, name: reviewer.name, channelIds: reviewer.channelIds, role: reviewer.role })),
  });
  await scheduleClocks(tx, row);
  for (const reviewer of reviewers.filter((candidate) => candidate.role === 'reviewer')) {
    await askReviewer(tx, deps, row, { reviewerId: reviewer.id, name: reviewer.name, channelIds: reviewer.channelIds }, 'request', now);
  }
  return row;
}

/** A callback_url gets the syntax and literal-address checks only, as a send's does (CONTRACT §6): no DNS here. */
function checkedCallbackUrl(url: string | undefined, allowPrivate: boolean): string | null {
  if (!url) return null;
  try {
    checkUrlSyntax(url, { allowPrivate });
    return url;
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new DomainError('unsafe_url', `callback_url: ${err.message}`, { reason: err.reason, field: 'callback_url' });
    throw err;
  }
}
