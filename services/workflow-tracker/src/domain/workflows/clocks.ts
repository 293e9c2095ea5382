import type { DeadlineHandler, DueDeadline } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { CLOCK, recordUnreachedStages, type ClockPayload } from './instance-store';
import { missingStages } from './stage-rules';
import { alertInstanceFailed } from './workflow-alerts';
import { stageNames, wasReached, type InstanceWithStages, type WorkflowRecord } from './workflow-records';

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

/**
 * Why a run fails, and the stages it failed without (none of them came in): recorded `timeout` or `missed` so the
 * instance history shows where the run stopped. A stage the run reached is never re-marked.
 */
export interface Failure {
  reason: string;
  unreached: { path: string; stageName: string | null }[];
  status: 'timeout' | 'missed';
}

/**
 * A run whose stage time-out passed. Static: the stage that did not come in time, the next expected one (the
 * lowest stage not in), recorded `timeout`. Dynamic: the next path is unknown, so the reason names the last path
 * seen (the one no stage followed in time) and no stage is marked: the stages that ran stay as they were.
 */
export function stageTimeoutFailure(workflow: WorkflowRecord, instance: InstanceWithStages): Failure {
  const reached = instance.stages.filter(wasReached);
  if (workflow.kind === 'static') {
    const names = stageNames(workflow);
    const next = missingStages(names.length, reached.map((s) => Number(s.path)))[0];
    // No stage missing (the workflow lost stages while the run ran): the reason names its last stage, nothing is marked.
    if (next === undefined) return { reason: `Stage ${names.length} timeout`, unreached: [], status: 'timeout' };
    return { reason: `Stage ${next} timeout`, unreached: [{ path: String(next), stageName: names[next - 1] || null }], status: 'timeout' };
  }
  const last = [...reached].sort((a, b) => a.executedAt.getTime() - b.executedAt.getTime()).at(-1);
  return { reason: last ? `Stage ${last.path} timeout` : 'Stage timeout', unreached: [], status: 'timeout' };
}

/** A flexible run not done within its grace period: static, the stages still missing (recorded `missed`); dynamic, no final stage yet. */
export function gracePeriodFailure(workflow: WorkflowRecord, instance: InstanceWithStages): Failure | null {
  if (workflow.kind !== 'static') return { reason: 'No final stage after grace period', unreached: [], status: 'missed' };
  const names = stageNames(workflow);
  const missing = missingStages(names.length, instance.stages.filter(wasReached).map((s) => Number(s.path)));
  if (missing.length === 0) return null;
  return {
    reason: `Missing ${missing.length === 1 ? 'stage' : 'stages'} ${missing.join(', ')} after grace period`,
    unreached: missing.map((stage) => ({ path: String(stage), stageName: names[stage - 1] || null })),
    status: 'missed',
  };
}

async function failRun(
  tx: TrackerTx,
  deps: TrackerDeps,
  deadline: DueDeadline,
  failureOf: (workflow: WorkflowRecord, instance: InstanceWithStages) => Failure | null,
): Promise<void> {
  const { instanceId } = deadline.payload as ClockPayload;
  const instance = await tx.workflowInstance.findUnique({ where: { id: instanceId }, include: { stages: { omit: { payload: true } }, workflow: true } });
  if (!instance || instance.status !== 'running') return;
  const failure = failureOf(instance.workflow, instance);
  if (!failure) return;
  const at = deps.now();
  const { count } = await tx.workflowInstance.updateMany({
    where: { id: instanceId, status: 'running' },
    data: { status: 'failed', failureReason: failure.reason, completedAt: at },
  });
  if (count === 0) return;
  // The run's other clock is left to fire later and find it ended: cancelling it here could wait on a sweeper holding it.
  await recordUnreachedStages(tx, instanceId, failure.unreached, failure.status, at);
  await alertInstanceFailed(tx, deps.alerts, instance.workflow, { instanceId, reason: failure.reason, startedAt: instance.startedAt, at });
  // The outbox relay publishes the alert at its next round: this transaction commits after the handler returns.
}
