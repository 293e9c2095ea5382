import type { TrackerTx } from '../../data/prisma';
import { raiseAlert, type AlertDeps } from '../alerts';
import type { WorkflowRecord } from '../workflows/workflow-records';

/** What a budget saw (seed 002's `alert_type`). */
export type CostAlertType = 'budget_threshold' | 'budget_exceeded' | 'daily_budget_exceeded' | 'agent_budget_exceeded' | 'cost_anomaly';

/** What the circuit breaker does when a limit is crossed (seed 002's `budget_action`, and `approve`). */
export type BreakerAction = 'alert' | 'pause' | 'terminate' | 'approve';

export interface CostAlertInput {
  type: CostAlertType;
  instanceId: string;
  currentMicros: bigint;
  thresholdMicros: bigint;
  /** What was done: the budget's action, or `alert` when the crossing only tells people. */
  action: BreakerAction;
  /** One line, as the seed's: "Instance cost $105.50 exceeds budget limit $100.00". */
  message: string;
  agentCode: string | null;
  at: Date;
}

const DONE: Record<BreakerAction, string> = {
  alert: 'The instance goes on.',
  pause: 'The instance is paused: its pings get 409 instance_paused until POST /api/instances/{id}/resume.',
  terminate: 'The instance was terminated: its pings get 409 instance_terminated.',
  approve: "The instance is paused until the account's reviewers approve (it resumes) or deny (it is terminated).",
};

/**
 * Records a cost alert (`GET /api/workflows/{id}/cost-alerts`) and tells the workflow's alert channels through the
 * dispatcher, in the transaction of the ping that crossed the line (which holds the workflow's lock, so the next
 * number is this one's). Returns the cost alert's number, the id the API shows.
 */
export async function recordCostAlert(tx: TrackerTx, deps: AlertDeps, workflow: WorkflowRecord, input: CostAlertInput): Promise<number> {
  const alertId = await raiseAlert(tx, deps, {
    accountId: workflow.accountId,
    subject: { kind: 'workflow', id: workflow.id, name: workflow.name },
    event: `cost.${input.type}`,
    title: `${workflow.name}: ${input.message}`.slice(0, 200),
    body: `${input.message}, in instance ${input.instanceId} of workflow ${workflow.name} (${workflow.id}) at ${input.at.toISOString()}. ${DONE[input.action].replace('{id}', input.instanceId)}`,
    statePath: `/api/workflows/${encodeURIComponent(workflow.id)}/cost-alerts`,
    channels: workflow.alertChannels,
    at: input.at,
  });
  const last = await tx.costAlert.findFirst({ where: { workflowId: workflow.id }, orderBy: { number: 'desc' }, select: { number: true } });
  const row = await tx.costAlert.create({
    data: {
      number: (last?.number ?? 0) + 1,
      accountId: workflow.accountId,
      workflowId: workflow.id,
      instanceId: input.instanceId,
      alertType: input.type,
      currentCostMicros: input.currentMicros,
      thresholdMicros: input.thresholdMicros,
      actionTaken: input.action,
      message: input.message,
      agentCode: input.agentCode,
      alertId,
      createdAt: input.at,
    },
  });
  return row.number;
}

/** The instance no longer waits on a person (resumed, or its approval decided): its pause and approval alerts are resolved. */
export async function resolveStoppingAlerts(tx: TrackerTx, instanceId: string, at: Date): Promise<void> {
  await tx.costAlert.updateMany({ where: { instanceId, resolvedAt: null, actionTaken: { in: ['pause', 'approve'] } }, data: { resolvedAt: at } });
}

/** Someone acknowledged the alert that told of a crossing that stopped nothing (or ended the run): it is resolved. */
export async function resolveAcknowledged(tx: TrackerTx, alertId: string, at: Date): Promise<void> {
  await tx.costAlert.updateMany({ where: { alertId, resolvedAt: null, actionTaken: { in: ['alert', 'terminate'] } }, data: { resolvedAt: at } });
}
