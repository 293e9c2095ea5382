import { DomainError } from '@pingback/contracts';
import type { TrackerTx } from '../../data/prisma';

/** Forks and re-runs a workflow may have running at once (each waits for a runner, with its clocks). */
export const MAX_RUNNING_REPLAYS = 100;

/** 409 replay_limit_reached when the workflow already has its most forks and re-runs running. Under the workflow's lock. */
export async function checkReplayLimit(tx: TrackerTx, workflowId: string): Promise<void> {
  const running = await tx.workflowInstance.count({ where: { workflowId, origin: { in: ['fork', 'rerun'] }, status: { in: ['running', 'paused'] } } });
  if (running >= MAX_RUNNING_REPLAYS) {
    throw new DomainError('replay_limit_reached', `workflow ${workflowId} already has ${MAX_RUNNING_REPLAYS} forks and re-runs running: let some finish first`, { limit: MAX_RUNNING_REPLAYS });
  }
}
