import { TRACKER_SCHEMA } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { findOwnedInstance } from './owned-instance';

/** The most steps one read returns… */
export const MAX_TIMELINE_PAGE = 500;
/** …and about the most bytes of payloads and tool calls it carries (a step may hold 1 MiB): a page ends before the step that would pass it, but always holds one. */
export const TIMELINE_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * `GET /api/instances/{id}/timeline`: the instance and its steps from `fromStep`, at most `limit` of them and about
 * TIMELINE_PAGE_BYTES of payload (the sizes are read first, in the database, so a page never loads more).
 */
export async function readTimeline(deps: TrackerDeps, accountId: string, instanceId: string, page: { fromStep: number; limit: number }) {
  const instance = await findOwnedInstance(deps.db, accountId, instanceId);
  const sizes = await deps.db.$queryRawUnsafe<{ bytes: number }[]>(
    `SELECT (COALESCE(octet_length(payload::text), 0) + COALESCE(octet_length(tool_calls::text), 0))::int AS bytes
       FROM "${TRACKER_SCHEMA}"."instance_steps" WHERE instance_id = $1 AND step >= $2 ORDER BY step LIMIT $3`,
    instanceId,
    page.fromStep,
    page.limit,
  );
  const [totalSteps, steps] = await Promise.all([
    deps.db.instanceStep.count({ where: { instanceId } }),
    deps.db.instanceStep.findMany({ where: { instanceId, step: { gte: page.fromStep } }, orderBy: { step: 'asc' }, take: stepsWithin(sizes.map((row) => row.bytes)) }),
  ]);
  return { instance, totalSteps, steps };
}

/** How many steps, in order, fit in TIMELINE_PAGE_BYTES (at least one, so a page always moves on). */
function stepsWithin(sizes: readonly number[]): number {
  let bytes = 0;
  for (const [index, size] of sizes.entries()) {
    bytes += size;
    if (index > 0 && bytes > TIMELINE_PAGE_BYTES) return index;
  }
  return sizes.length;
}

export type Timeline = Awaited<ReturnType<typeof readTimeline>>;
export type StepRow = Timeline['steps'][number];
