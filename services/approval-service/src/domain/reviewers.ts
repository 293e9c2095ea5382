import { ListQuery, notFoundError, toPage, type ReviewerPatch, type ReviewerRequest, type ReviewerView } from '@pingback/contracts';
import { checkOwnedChannels, validationFailedFields } from '@pingback/http';
import { newId } from '@pingback/security';
import { z } from 'zod';
import type { ApprovalDeps } from '../approval-deps';
import type { Reviewer } from '../generated/prisma/client';

export const MAX_REVIEWERS_PER_ACCOUNT = 1_000;

export const reviewerBody = (row: Reviewer): ReviewerView => ({
  id: row.id,
  name: row.name,
  channels: row.channelIds,
  default: row.isDefault,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

type Deps = Pick<ApprovalDeps, 'db' | 'gateway'>;

/** A management route's rule (CONTRACT §3): another account's reviewer is not found. */
async function ownReviewer(deps: Deps, accountId: string, id: string): Promise<Reviewer> {
  const row = await deps.db.reviewer.findUnique({ where: { id } });
  if (!row || row.accountId !== accountId) throw notFoundError('reviewer');
  return row;
}

export async function createReviewer(deps: Deps, accountId: string, request: ReviewerRequest): Promise<Reviewer> {
  const channelIds = await checkOwnedChannels(deps.gateway, accountId, request.channels, 'channels');
  return deps.db.$transaction(async (tx) => {
    // One create per account at a time, so parallel creates cannot all pass the count.
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `reviewers:${accountId}`);
    if ((await tx.reviewer.count({ where: { accountId } })) >= MAX_REVIEWERS_PER_ACCOUNT) {
      throw validationFailedFields([{ path: '', message: `an account has at most ${MAX_REVIEWERS_PER_ACCOUNT} reviewers` }]);
    }
    return tx.reviewer.create({ data: { id: newId('rvw_'), accountId, name: request.name, channelIds, isDefault: request.default } });
  });
}

export async function listReviewers(deps: Deps, accountId: string, query: z.infer<typeof ListQuery>) {
  const rows = await deps.db.reviewer.findMany({
    where: { accountId, ...(query.cursor ? { id: { gt: query.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, reviewerBody);
}

export const readReviewer = (deps: Deps, accountId: string, id: string) => ownReviewer(deps, accountId, id);

/** PUT replaces every field (an omitted `default` is false); PATCH changes those given. */
export async function updateReviewer(deps: Deps, accountId: string, id: string, change: ReviewerPatch): Promise<Reviewer> {
  await ownReviewer(deps, accountId, id);
  const channelIds = change.channels ? await checkOwnedChannels(deps.gateway, accountId, change.channels, 'channels') : undefined;
  return deps.db.reviewer.update({
    where: { id },
    data: {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(channelIds ? { channelIds } : {}),
      ...(change.default !== undefined ? { isDefault: change.default } : {}),
    },
  });
}

/** Approvals that asked this reviewer keep asking them (their reviewers are copied when made). */
export async function deleteReviewer(deps: Deps, accountId: string, id: string): Promise<void> {
  await ownReviewer(deps, accountId, id);
  await deps.db.reviewer.deleteMany({ where: { id, accountId } });
}
