import { newId } from '@pingback/security';
import { trackerDeadlines } from '../../data/durable-tables';
import { TRACKER_SCHEMA, type TrackerTx } from '../../data/prisma';
import { InstanceEndedMeanwhile } from './ping-retry';
import type { InstanceWithStages, StoredStageStatus, WorkflowRecord } from './workflow-records';

// Lock order, kept by every transaction that touches a run, so two of them never wait on each other:
//   the workflow row (pings, management) → the run's deadline rows (pings, the sweeper) → the instance row.
// The sweeper claims deadline rows first and never locks a workflow; a ping locks its workflow first, so pings
// of one workflow take turns (a run's stages are decided against what the previous ping left, never a stale read).

/** Durable clock kinds (key: the instance id). */
export const CLOCK = {
  /** No stage ping for the workflow's stage time-out: the run fails ("Stage 3 timeout"). */
  stageTimeout: 'workflow.stage-timeout',
  /** Flexible mode: not every stage in (static) or no final stage (dynamic) within the grace period from the start. */
  gracePeriod: 'workflow.grace-period',
} as const;

export interface ClockPayload {
  instanceId: string;
  workflowId: string;
}

export const SUPERSEDED = 'Superseded by a new run';

/** The workflow, locked for the rest of the transaction (pings of one workflow take turns), or null. */
export async function lockWorkflow(tx: TrackerTx, workflowId: string): Promise<WorkflowRecord | null> {
  await tx.$queryRawUnsafe(`SELECT 1 FROM "${TRACKER_SCHEMA}"."workflows" WHERE id = $1 FOR UPDATE`, workflowId);
  return tx.workflow.findUnique({ where: { id: workflowId } });
}

/** Where a ping without an instance id goes: the run a ping started that is running or paused (at most one). */
export const CURRENT_RUN = { origin: 'ping', status: { in: ['running', 'paused'] } };

/** The workflow's current run with its stages (their payloads left out: a ping decides on paths alone). */
export function runningInstance(tx: TrackerTx, workflowId: string): Promise<InstanceWithStages | null> {
  return tx.workflowInstance.findFirst({ where: { workflowId, ...CURRENT_RUN }, include: { stages: { omit: { payload: true } } } });
}

/** Cancels a run's clocks (both deadlines), before the run's row is changed (the lock order above). */
export async function cancelClocks(tx: TrackerTx, instanceId: string): Promise<void> {
  await trackerDeadlines.cancel(tx, CLOCK.stageTimeout, instanceId);
  await trackerDeadlines.cancel(tx, CLOCK.gracePeriod, instanceId);
}

/**
 * Ends a running instance (failed, with its reason, or completed) and cancels its clocks. False when it was no
 * longer running: someone else ended it first, and nothing changed.
 */
export async function endInstance(
  tx: TrackerTx,
  instanceId: string,
  end: { status: 'failed'; reason: string; at: Date } | { status: 'completed'; at: Date },
): Promise<boolean> {
  await cancelClocks(tx, instanceId);
  const { count } = await tx.workflowInstance.updateMany({
    where: { id: instanceId, status: 'running' },
    data: { status: end.status, completedAt: end.at, failureReason: end.status === 'failed' ? end.reason : null },
  });
  return count === 1;
}

/** What a stage ping brings to its run. */
export interface StageArrival {
  path: string;
  stageName: string | null;
  agent: string | null;
  payload: Record<string, unknown> | null;
  /** Its body said `"status": "failure"`: the stage and its run fail. */
  failed: boolean;
  at: Date;
}

export type RunStatus = 'running' | 'completed' | 'failed';

/** Every status a run can have: a budget may pause a running one, or end it (`terminated`). */
export type InstanceStatus = RunStatus | 'paused' | 'terminated';

export interface StageOutcome {
  instanceId: string;
  status: RunStatus;
  /** Set when the run failed: raise the alert with it. */
  failureReason: string | null;
  startedAt: Date;
}

/**
 * Records a stage in a run (a new one when `start`, superseding `running`; else `running` itself), and moves the
 * run on: its stage time-out starts again, or, when this stage completes or fails it, its clocks stop. One
 * transaction with the caller's decision, so a ping's stage and its run's state commit together.
 */
export async function recordStage(
  tx: TrackerTx,
  workflow: WorkflowRecord,
  target: { start: true; running: InstanceWithStages | null } | { start: false; running: InstanceWithStages },
  arrival: StageArrival,
  completes: boolean,
): Promise<StageOutcome> {
  const status: RunStatus = arrival.failed ? 'failed' : completes ? 'completed' : 'running';
  const failureReason = status === 'failed' ? `Stage ${arrival.path} failed` : null;
  let instance: { id: string; startedAt: Date };

  if (target.start) {
    if (target.running) await endInstance(tx, target.running.id, { status: 'failed', reason: SUPERSEDED, at: arrival.at });
    instance = { id: newId('wfi_'), startedAt: arrival.at };
    // A new run is written as this ping leaves it: it has no clock to cancel and no stage to replace yet. A racing
    // start that got past the workflow lock would meet the one-running-per-workflow index here (P2002, retried).
    await tx.workflowInstance.create({
      data: {
        id: instance.id,
        workflowId: workflow.id,
        accountId: workflow.accountId,
        status,
        agentCode: arrival.agent,
        startedAt: arrival.at,
        lastStageAt: arrival.at,
        ...(status === 'running' ? {} : { completedAt: arrival.at, failureReason }),
      },
    });
    if (status === 'running') await startClocks(tx, workflow, instance.id);
  } else {
    instance = target.running;
    if (status !== 'running') await cancelClocks(tx, instance.id);
    else if (workflow.stageTimeoutMs) await scheduleStageTimeout(tx, workflow, instance.id);
    else await trackerDeadlines.cancel(tx, CLOCK.stageTimeout, instance.id);

    const { count } = await tx.workflowInstance.updateMany({
      where: { id: instance.id, status: 'running' },
      data: {
        lastStageAt: arrival.at,
        agentCode: target.running.agentCode ?? arrival.agent,
        ...(status === 'running' ? {} : { status, completedAt: arrival.at, failureReason }),
      },
    });
    if (count === 0) throw new InstanceEndedMeanwhile();
    // A path a flexible run sees again is replaced by its latest ping (payload included, or none).
    await tx.stageExecution.deleteMany({ where: { instanceId: instance.id, path: arrival.path } });
  }

  await tx.stageExecution.create({
    data: {
      instanceId: instance.id,
      path: arrival.path,
      status: (arrival.failed ? 'failed' : 'healthy') satisfies StoredStageStatus,
      stageName: arrival.stageName,
      agentCode: arrival.agent,
      ...(arrival.payload ? { payload: arrival.payload as object } : {}),
      executedAt: arrival.at,
    },
  });
  return { instanceId: instance.id, status, failureReason, startedAt: instance.startedAt };
}

/**
 * Records the stages a run failed without (`missed` or `timeout`), so its history shows where it stopped. Called
 * only in the transaction that fails the run, after its conditional update succeeded. A stage the run already has
 * keeps its row: only a stage that never came is recorded.
 */
export async function recordUnreachedStages(
  tx: TrackerTx,
  instanceId: string,
  stages: readonly { path: string; stageName: string | null }[],
  status: Extract<StoredStageStatus, 'missed' | 'timeout'>,
  at: Date,
): Promise<void> {
  if (stages.length === 0) return;
  await tx.stageExecution.createMany({
    data: stages.map((stage) => ({ instanceId, path: stage.path, status, stageName: stage.stageName, executedAt: at })),
    skipDuplicates: true,
  });
}

/** A refused stage ping, kept for investigation (`GET /api/workflows/{id}/failed-pings`). */
export async function logFailedPing(
  tx: TrackerTx,
  workflow: WorkflowRecord,
  ping: { instanceId: string | null; stage: string; agent: string | null; error: string; detail: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx.failedPing.create({
    data: {
      id: newId('fpg_'),
      workflowId: workflow.id,
      accountId: workflow.accountId,
      instanceId: ping.instanceId,
      stage: ping.stage,
      agentCode: ping.agent,
      error: ping.error,
      detail: ping.detail as object,
      receivedAt: ping.at,
    },
  });
}

const clockPayload = (workflow: WorkflowRecord, instanceId: string): ClockPayload => ({ instanceId, workflowId: workflow.id });

/** A new (or resumed) running run's clocks: flexible mode's grace period from now, and the stage time-out. */
export async function startClocks(tx: TrackerTx, workflow: WorkflowRecord, instanceId: string): Promise<void> {
  if (workflow.validationMode === 'flexible' && workflow.gracePeriodMs) {
    await trackerDeadlines.schedule(tx, { kind: CLOCK.gracePeriod, key: instanceId, dueInMs: workflow.gracePeriodMs, payload: clockPayload(workflow, instanceId) });
  }
  if (workflow.stageTimeoutMs) await scheduleStageTimeout(tx, workflow, instanceId);
}

/** The stage time-out starts again from this ping. */
function scheduleStageTimeout(tx: TrackerTx, workflow: WorkflowRecord, instanceId: string): Promise<boolean> {
  return trackerDeadlines.schedule(tx, { kind: CLOCK.stageTimeout, key: instanceId, dueInMs: workflow.stageTimeoutMs!, payload: clockPayload(workflow, instanceId) });
}
