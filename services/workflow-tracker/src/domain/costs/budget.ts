import type { TrackerDb, TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { lockWorkflow } from '../workflows/instance-store';
import { findOwnedWorkflow } from '../workflows/workflows';
import { mustOwn } from '../domain-errors';
import type { BreakerAction } from './cost-alerts';

export interface Budget {
  enabled: boolean;
  limitMicros: bigint | null;
  alertThresholdMicros: bigint | null;
  dailyLimitMicros: bigint | null;
  action: BreakerAction;
  anomalyDetection: boolean;
  anomalyMultiplier: number;
  /** Micro-dollars an agent may spend in this workflow per UTC day before it alerts. */
  agentDailyLimits: Record<string, bigint>;
  approvalTimeoutSeconds: number;
  updatedAt: Date | null;
}

/** A workflow nobody gave a budget: nothing is checked. */
export const NO_BUDGET: Budget = {
  enabled: false,
  limitMicros: null,
  alertThresholdMicros: null,
  dailyLimitMicros: null,
  action: 'alert',
  anomalyDetection: false,
  anomalyMultiplier: 3,
  agentDailyLimits: {},
  approvalTimeoutSeconds: 3_600,
  updatedAt: null,
};

/** The workflow's budget (NO_BUDGET when it has none). */
export async function budgetOf(db: TrackerDb | TrackerTx, workflowId: string): Promise<Budget> {
  const row = await db.workflowBudget.findUnique({ where: { workflowId } });
  if (!row) return NO_BUDGET;
  const limits = (row.agentDailyLimits ?? {}) as Record<string, string | number>;
  return {
    enabled: row.enabled,
    limitMicros: row.limitMicros,
    alertThresholdMicros: row.alertThresholdMicros,
    dailyLimitMicros: row.dailyLimitMicros,
    action: row.action as BreakerAction,
    anomalyDetection: row.anomalyDetection,
    anomalyMultiplier: row.anomalyMultiplier,
    agentDailyLimits: Object.fromEntries(Object.entries(limits).map(([agent, micros]) => [agent, BigInt(micros)])),
    approvalTimeoutSeconds: row.approvalTimeoutSeconds,
    updatedAt: row.updatedAt,
  };
}

/** `GET /api/workflows/{id}/budget`. */
export async function readBudget(deps: TrackerDeps, accountId: string, workflowId: string): Promise<Budget> {
  await findOwnedWorkflow(deps, accountId, workflowId);
  return budgetOf(deps.db, workflowId);
}

/** `PUT /api/workflows/{id}/budget`: the whole budget (what the request leaves out takes its default). Applies from the next costed ping. */
export async function putBudget(deps: TrackerDeps, accountId: string, workflowId: string, budget: Omit<Budget, 'updatedAt'>): Promise<Budget> {
  await findOwnedWorkflow(deps, accountId, workflowId);
  const data = {
    enabled: budget.enabled,
    limitMicros: budget.limitMicros,
    alertThresholdMicros: budget.alertThresholdMicros,
    dailyLimitMicros: budget.dailyLimitMicros,
    action: budget.action,
    anomalyDetection: budget.anomalyDetection,
    anomalyMultiplier: budget.anomalyMultiplier,
    // Stored as decimal strings: JSON numbers would not hold every bigint.
    agentDailyLimits: Object.fromEntries(Object.entries(budget.agentDailyLimits).map(([agent, micros]) => [agent, micros.toString()])),
    approvalTimeoutSeconds: budget.approvalTimeoutSeconds,
  };
  // Under the workflow's lock, as pings read it: a ping sees the budget before or after the change, whole.
  await deps.db.$transaction(async (tx) => {
    mustOwn(await lockWorkflow(tx, workflowId), accountId, 'workflow');
    await tx.workflowBudget.upsert({ where: { workflowId }, create: { workflowId, ...data }, update: data });
  });
  return budgetOf(deps.db, workflowId);
}
