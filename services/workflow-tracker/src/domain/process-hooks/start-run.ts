import { newId } from '@pingback/security';
import type { TrackerDeps } from '../../tracker-deps';
import { databaseNow, holdRow } from '../monitors/database-clock';
import { mustOwn } from '../domain-errors';
import type { JsonObject } from '../monitors/record-ping';
import { setOverdueClock } from './process-clock';

export interface StartInput {
  accountId: string;
  hookId: string;
  agent: string | null;
  metadata: JsonObject | null;
}

/**
 * A start ping opens a run of its own (`run_…`; overlapping runs are kept apart) and sets its clock to the hook's
 * maximum duration, in one transaction.
 */
export async function startRun(deps: TrackerDeps, input: StartInput): Promise<{ runId: string; startedAt: Date }> {
  return deps.db.$transaction(async (tx) => {
    await holdRow(tx, 'process_hooks', input.hookId);
    const hook = mustOwn(await tx.processHook.findUnique({ where: { id: input.hookId } }), input.accountId, 'process hook');
    const startedAt = await databaseNow(tx);
    const runId = newId('run_');
    await tx.processRun.create({
      data: { id: runId, hookId: hook.id, accountId: hook.accountId, status: 'running', agent: input.agent, startedAt, ...(input.metadata ? { startMetadata: input.metadata } : {}) },
    });
    await setOverdueClock(tx, runId, new Date(startedAt.getTime() + hook.maxDurationMs));
    return { runId, startedAt };
  });
}
