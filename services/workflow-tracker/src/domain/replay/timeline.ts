import type { TrackerDeps } from '../../tracker-deps';
import { findOwnedInstance } from './owned-instance';

/** The most steps one read returns (each may carry a payload of up to 1 MiB). */
export const MAX_TIMELINE_PAGE = 500;

/** `GET /api/instances/{id}/timeline`: the instance and its steps from `fromStep`, at most `limit` of them. */
export async function readTimeline(deps: TrackerDeps, accountId: string, instanceId: string, page: { fromStep: number; limit: number }) {
  const instance = await findOwnedInstance(deps.db, accountId, instanceId);
  const [totalSteps, steps] = await Promise.all([
    deps.db.instanceStep.count({ where: { instanceId } }),
    deps.db.instanceStep.findMany({ where: { instanceId, step: { gte: page.fromStep } }, orderBy: { step: 'asc' }, take: page.limit }),
  ]);
  return { instance, totalSteps, steps };
}

export type Timeline = Awaited<ReturnType<typeof readTimeline>>;
export type StepRow = Timeline['steps'][number];
