import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { chargePing } from '../costs/breaker';
import { costTooLarge, priceStep } from '../costs/price-step';
import type { StepTelemetry } from '../costs/step-telemetry';
import { recordStep } from '../replay/record-step';
import { recordStage, type InstanceStatus, type StageArrival } from './instance-store';
import { alertInstanceFailed } from './workflow-alerts';
import type { InstanceWithStages, WorkflowRecord } from './workflow-records';

export interface AcceptedStage {
  instanceId: string;
  /** The run's status after this ping: a budget may have paused or terminated it. */
  status: InstanceStatus;
  /** Alerts went to the outbox: publish it once the transaction commits. */
  alerted: boolean;
}

/**
 * A stage ping the rules accepted, in its transaction: the stage joins its run (or starts one), the ping becomes the
 * run's next timeline step with its cost, and a cost is charged to the budget, whose breaker may stop the run.
 */
export async function acceptStage(
  tx: TrackerTx,
  deps: TrackerDeps,
  workflow: WorkflowRecord,
  target: { start: true; running: InstanceWithStages | null } | { start: false; running: InstanceWithStages },
  arrival: StageArrival & { telemetry: StepTelemetry },
  completes: boolean,
): Promise<AcceptedStage> {
  const outcome = await recordStage(tx, workflow, target, arrival, completes);
  if (outcome.failureReason) await alertInstanceFailed(tx, deps.alerts, workflow, { instanceId: outcome.instanceId, reason: outcome.failureReason, startedAt: outcome.startedAt, at: arrival.at });
  const cost = await priceStep(tx, workflow.accountId, arrival.telemetry);
  await recordStep(tx, {
    instanceId: outcome.instanceId,
    workflowId: workflow.id,
    path: arrival.path,
    status: arrival.failed ? 'failed' : 'healthy',
    stageName: arrival.stageName,
    agentCode: arrival.agent,
    payload: arrival.payload,
    telemetry: arrival.telemetry,
    cost,
    at: arrival.at,
    startsRun: target.start,
  });
  const accepted = { instanceId: outcome.instanceId, status: outcome.status as InstanceStatus, alerted: outcome.failureReason !== null };
  if (!cost.costMicros) return accepted;
  const charged = await chargePing(tx, deps.alerts, {
    workflow,
    instanceId: outcome.instanceId,
    status: outcome.status,
    agentCode: arrival.agent,
    costMicros: cost.costMicros,
    at: arrival.at,
  });
  if (!charged) throw costTooLarge(cost, arrival.telemetry);
  return { ...accepted, status: charged.status, alerted: accepted.alerted || charged.alerted };
}
