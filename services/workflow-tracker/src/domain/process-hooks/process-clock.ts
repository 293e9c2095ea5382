import { trackerDeadlines } from '../../data/durable-tables';
import type { TrackerTx } from '../../data/prisma';

/** One clock row per open run (key: the run's id), due at its start + the hook's maximum duration. */
export const PROCESS_MAX_CLOCK = 'process_max';

export const setOverdueClock = (tx: TrackerTx, runId: string, dueAt: Date) =>
  trackerDeadlines.schedule(tx, { kind: PROCESS_MAX_CLOCK, key: runId, dueAt }, { onConflict: 'reschedule' });

export const stopOverdueClock = (tx: TrackerTx, runId: string) => trackerDeadlines.cancel(tx, PROCESS_MAX_CLOCK, runId);

/** A deleted hook's open runs need no clock (their rows go with the hook). */
export async function stopOverdueClocksOfHook(tx: TrackerTx, hookId: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `DELETE FROM ${trackerDeadlines.table} WHERE kind = $1 AND key IN (SELECT id FROM "tracker"."process_runs" WHERE hook_id = $2 AND status = 'running')`,
    PROCESS_MAX_CLOCK,
    hookId,
  );
}
