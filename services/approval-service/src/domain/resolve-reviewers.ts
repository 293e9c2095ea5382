import { validationFailedFields } from '@pingback/http';
import type { ApprovalsTx } from '../data/prisma';

export interface ResolvedReviewer {
  id: string;
  name: string;
  channelIds: string[];
  role: 'reviewer' | 'escalation';
}

/**
 * Who an approval asks: the reviewers it names (each must be the account's), or else the account's default
 * reviewers; and the escalation reviewer it names, asked at 80 % of the timeout. A named id that is not the
 * account's is 400 naming the field, whoever owns it (ids of other accounts are not told apart from unknown ones).
 */
export async function resolveReviewers(tx: ApprovalsTx, accountId: string, named: readonly string[] | undefined, escalation: string | undefined): Promise<ResolvedReviewer[]> {
  const wanted = [...new Set([...(named ?? []), ...(escalation ? [escalation] : [])])];
  const found = wanted.length === 0 ? [] : await tx.reviewer.findMany({ where: { accountId, id: { in: wanted } } });
  const byId = new Map(found.map((reviewer) => [reviewer.id, reviewer]));
  const problems = [
    ...(named ?? []).map((id, index) => ({ id, path: `reviewers.${index}` })),
    ...(escalation ? [{ id: escalation, path: 'escalation_reviewer' }] : []),
  ]
    .filter(({ id }) => !byId.has(id))
    .map(({ id, path }) => ({ path, message: `no reviewer ${id} in this account` }));
  if (escalation && named?.includes(escalation)) problems.push({ path: 'escalation_reviewer', message: 'is already one of the reviewers' });
  if (problems.length > 0) throw validationFailedFields(problems);

  const reviewers = named ? named.map((id) => byId.get(id)!) : await tx.reviewer.findMany({ where: { accountId, isDefault: true }, orderBy: { id: 'asc' } });
  if (escalation && !named && reviewers.some((reviewer) => reviewer.id === escalation)) {
    throw validationFailedFields([{ path: 'escalation_reviewer', message: 'is a default reviewer, asked at once already; name another one, or name the reviewers' }]);
  }
  const unique = [...new Map(reviewers.map((reviewer) => [reviewer.id, reviewer])).values()];
  return [
    ...unique.map((reviewer) => ({ id: reviewer.id, name: reviewer.name, channelIds: reviewer.channelIds, role: 'reviewer' as const })),
    ...(escalation ? [{ ...pick(byId.get(escalation)!), role: 'escalation' as const }] : []),
  ];
}

const pick = (reviewer: { id: string; name: string; channelIds: string[] }) => ({ id: reviewer.id, name: reviewer.name, channelIds: reviewer.channelIds });
