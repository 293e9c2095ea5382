import { TRACKER_SCHEMA } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { findOwnedInstance } from '../replay/owned-instance';
import { findOwnedWorkflow } from '../workflows/workflows';

export interface WorkflowCost {
  periodDays: number;
  totalMicros: bigint;
  todayMicros: bigint;
  instanceCount: number;
  mostExpensive: { id: string; costMicros: bigint } | null;
  byAgent: { agentCode: string | null; costMicros: bigint; steps: number }[];
  /** Each UTC day of the period with a step in it, oldest first. */
  byDay: { date: string; costMicros: bigint; steps: number }[];
  unpricedSteps: number;
}

const DAY_MS = 86_400_000;

/**
 * `GET /api/workflows/{id}/cost?days=N`: what the workflow's runs spent in the last N days (their own pings' cost;
 * steps copied into a fork were paid for by their source), today (since 00:00 UTC), per instance that ran a step
 * in the period, per agent, and per UTC day.
 */
export async function workflowCost(deps: TrackerDeps, accountId: string, workflowId: string, days: number): Promise<WorkflowCost> {
  await findOwnedWorkflow(deps, accountId, workflowId);
  const now = deps.now();
  const since = new Date(now.getTime() - days * DAY_MS);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const steps = `"${TRACKER_SCHEMA}"."instance_steps"`;
  const own = 'workflow_id = $1 AND executed_at >= $2 AND copied_from IS NULL';
  const [[totals], [todays], [top], agents, daily] = await Promise.all([
    deps.db.$queryRawUnsafe<[{ total: bigint; instances: bigint; unpriced: bigint }]>(
      `SELECT COALESCE(SUM(cost_micros), 0)::bigint AS total, COUNT(DISTINCT instance_id)::bigint AS instances, COUNT(*) FILTER (WHERE unpriced)::bigint AS unpriced FROM ${steps} WHERE ${own}`,
      workflowId,
      since,
    ),
    deps.db.$queryRawUnsafe<[{ total: bigint }]>(`SELECT COALESCE(SUM(cost_micros), 0)::bigint AS total FROM ${steps} WHERE ${own}`, workflowId, today > since ? today : since),
    deps.db.$queryRawUnsafe<{ id: string; total: bigint }[]>(
      `SELECT instance_id AS id, SUM(cost_micros)::bigint AS total FROM ${steps} WHERE ${own} AND cost_micros IS NOT NULL GROUP BY instance_id ORDER BY total DESC, instance_id LIMIT 1`,
      workflowId,
      since,
    ),
    deps.db.$queryRawUnsafe<{ agent: string | null; total: bigint; steps: bigint }[]>(
      `SELECT agent_code AS agent, COALESCE(SUM(cost_micros), 0)::bigint AS total, COUNT(*)::bigint AS steps FROM ${steps} WHERE ${own} GROUP BY agent_code ORDER BY total DESC, agent_code NULLS LAST`,
      workflowId,
      since,
    ),
    deps.db.$queryRawUnsafe<{ day: string; total: bigint; steps: bigint }[]>(
      `SELECT to_char(executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COALESCE(SUM(cost_micros), 0)::bigint AS total, COUNT(*)::bigint AS steps FROM ${steps} WHERE ${own} GROUP BY day ORDER BY day`,
      workflowId,
      since,
    ),
  ]);
  return {
    periodDays: days,
    totalMicros: BigInt(totals.total),
    todayMicros: BigInt(todays.total),
    instanceCount: Number(totals.instances),
    mostExpensive: top ? { id: top.id, costMicros: BigInt(top.total) } : null,
    byAgent: agents.map((row) => ({ agentCode: row.agent, costMicros: BigInt(row.total), steps: Number(row.steps) })),
    byDay: daily.map((row) => ({ date: row.day, costMicros: BigInt(row.total), steps: Number(row.steps) })),
    unpricedSteps: Number(totals.unpriced),
  };
}

/** `GET /api/instances/{id}/cost`: what the instance's own pings cost, step by step (the steps that reported cost). */
export async function instanceCost(deps: TrackerDeps, accountId: string, instanceId: string) {
  const instance = await findOwnedInstance(deps.db, accountId, instanceId);
  const breakdown = await deps.db.instanceStep.findMany({
    where: { instanceId, copiedFrom: null, OR: [{ costMicros: { not: null } }, { unpriced: true }] },
    orderBy: { step: 'asc' },
    select: { step: true, path: true, agentCode: true, modelId: true, inputTokens: true, outputTokens: true, totalTokens: true, costMicros: true, unpriced: true, executedAt: true },
  });
  return { instance, breakdown };
}

/** `GET /api/workflows/{id}/cost-alerts`: the newest first; resolved ones only when asked for. */
export async function listCostAlerts(deps: TrackerDeps, accountId: string, workflowId: string, query: { limit: number; includeResolved: boolean }) {
  await findOwnedWorkflow(deps, accountId, workflowId);
  return deps.db.costAlert.findMany({ where: { workflowId, ...(query.includeResolved ? {} : { resolvedAt: null }) }, orderBy: { number: 'desc' }, take: query.limit });
}
