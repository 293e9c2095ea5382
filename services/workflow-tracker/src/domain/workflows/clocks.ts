import type { DeadlineHandler, DueDeadline } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { CLOCK, type ClockPayload } from './instance-store';
import { missingStages } from './stage-rules';
import { alertInstanceFailed } from './workflow-alerts';
import { stageNames, type InstanceWithStages, type WorkflowRecord } from './workflow-records';

/**
 * The durable clock's handlers for stage time-outs and flexible mode's grace periods, by deadline kind. Each runs
 * in the sweeper's transaction after the sweeper locked its deadline row, and fails the run only if it is still
 * running (a conditional update): a fire that comes late, twice, or after the run ended does nothing. Every
 * stage ping moves the time-out (rescheduling its row, which it must lock first), so a time-out that fires is one
 * no ping moved.
 */
export const workflowClocks = (deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({
  [CLOCK.stageTimeout]: (tx, deadline) => failRun(tx, deps, deadline, stageTimeoutFailure),
  [CLOCK.gracePeriod]: (tx, deadline) => failRun(tx, deps, deadline, gracePeriodFailure),
});

/** Why a run fails, and which of its stages to mark failed (where the run stalled). */
interface Failure {
  reason: string;
  failedStages: { path: string; stageName: string | null }[];
}

/**
 * A run whose stage time-out passed. Static: the stage that did not come in time, the next expected one (the
 * lowest stage not in). Dynamic: the next path is unknown, so the stage named is the last one seen, the one no
 * stage followed in time.
 */
function stageTimeoutFailure(workflow: WorkflowRecord, instance: InstanceWithStages): Failure | null {
  if (workflow.kind === 'static') {
    const names = stageNames(workflow);
    const next = missingStages(names.length, instance.stages.map((s) => Number(s.path)))[0] ?? names.length;
    return { reason: `Stage ${next} timeout`, failedStages: [{ path: String(next), stageName: names[next - 1] || null }] };
  }
  const last = [...instance.stages].sort((a, b) => a.executedAt.getTime() - b.executedAt.getTime()).at(-1);
  if (!last) return { reason: 'Stage timeout', failedStages: [] };
  return { reason: `Stage ${last.path} timeout`, failedStages: [{ path: last.path, stageName: last.stageName }] };
}

/** A flexible run not done within its grace period: static, the stages still missing; dynamic, no final stage yet. */
function gracePeriodFailure(workflow: WorkflowRecord, instance: InstanceWithStages): Failure | null {
  if (workflow.kind !== 'static') return { reason: 'No final stage after grace period', failedStages: [] };
  const names = stageNames(workflow);
  const missing = missingStages(names.length, instance.stages.map((s) => Number(s.path)));
  if (missing.length === 0) return null;
  return {
    reason: `Missing ${missing.length === 1 ? 'stage' : 'stages'} ${missing.join(', ')} after grace period`,
    failedStages: missing.map((stage) => ({ path: String(stage), stageName: names[stage - 1] || null })),
  };
}

async function failRun(
  tx: TrackerTx,
  deps: TrackerDeps,
  deadline: DueDeadline,
  failureOf: (workflow: WorkflowRecord, instance: InstanceWithStages) => Failure | null,
): Promise<void> {
  const { instanceId } = deadline.payload as ClockPayload;
  const instance = await tx.workflowInstance.findUnique({ where: { id: instanceId }, include: { stages: true, workflow: true } });
  if (!instance || instance.status !== 'running') return;
  const failure = failureOf(instance.workflow, instance);
  if (!failure) return;
  const at = deps.now();
  const { count } = await tx.workflowInstance.updateMany({
    where: { id: instanceId, status: 'running' },
    data: { status: 'failed', failureReason: failure.reason, completedAt: at },
  });
  if (count === 0) return;
  // The run's other clock fires later and finds it ended: cancelling it here could wait on a sweeper holding it.
  for (const stage of failure.failedStages) {
    const seen = instance.stages.find((s) => s.path === stage.path);
    if (seen) await tx.stageExecution.update({ where: { instanceId_path: { instanceId, path: stage.path } }, data: { status: 'failed' } });
    else await tx.stageExecution.create({ data: { instanceId, path: stage.path, status: 'failed', stageName: stage.stageName, executedAt: at } });
  }
  await alertInstanceFailed(tx, deps.alerts, instance.workflow, { instanceId, reason: failure.reason, startedAt: instance.startedAt, at });
  // The outbox relay publishes the alert at its next round: this transaction commits after the handler returns.
}
