import type { TrackerTx } from '../../data/prisma';
import { cancelClocks, startClocks } from './instance-store';
import type { WorkflowRecord } from './workflow-records';

// A budget's circuit breaker stops runs and people let them go on. Every function here runs in a transaction that
// holds the workflow's lock, and changes the run only from the status it expects (a conditional update), so a
// breaker, a resume and an approval's decision arriving together act once.

/** What paused a run: the breaker (`pause`: resume by API) or the approval that decides (`approve`). */
export const PAUSED_BY_BREAKER = 'breaker';
export const pausedByApproval = (key: string) => `approval:${key}`;

/** Pauses a running run: its clocks stop (a paused run does not time out), its pings get 409 instance_paused. */
export async function pauseInstance(tx: TrackerTx, instanceId: string, pausedBy: string): Promise<boolean> {
  await cancelClocks(tx, instanceId);
  const { count } = await tx.workflowInstance.updateMany({ where: { id: instanceId, status: 'running' }, data: { status: 'paused', pausedBy } });
  return count === 1;
}

/** Ends a running or paused run for good: its pings get 409 instance_terminated. */
export async function terminateInstance(tx: TrackerTx, instanceId: string, reason: string, at: Date): Promise<boolean> {
  await cancelClocks(tx, instanceId);
  const { count } = await tx.workflowInstance.updateMany({
    where: { id: instanceId, status: { in: ['running', 'paused'] } },
    data: { status: 'terminated', pausedBy: null, completedAt: at, failureReason: reason },
  });
  return count === 1;
}

/**
 * Lets a paused run go on, when it is still paused by `pausedBy` (by anything when not given); its clocks start
 * again from now. A paused run has no clock a sweeper could hold, and only holders of the workflow's lock change
 * it, so the read decides and the clocks are scheduled before the run's row changes (the lock order).
 */
export async function resumeInstance(tx: TrackerTx, workflow: WorkflowRecord, instanceId: string, pausedBy?: string): Promise<boolean> {
  const run = await tx.workflowInstance.findUnique({ where: { id: instanceId }, select: { status: true, pausedBy: true } });
  if (run?.status !== 'paused' || (pausedBy !== undefined && run.pausedBy !== pausedBy)) return false;
  await startClocks(tx, workflow, instanceId);
  await tx.workflowInstance.update({ where: { id: instanceId }, data: { status: 'running', pausedBy: null } });
  return true;
}
