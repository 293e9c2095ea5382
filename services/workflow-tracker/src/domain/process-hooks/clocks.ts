import type { DeadlineHandler, DueDeadline } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { raiseAlert } from '../alerts';
import { databaseNow, RowBusyError, tryLockRow } from '../monitors/database-clock';
import { formatDuration, moment } from '../monitors/durations';
import { processStatePath } from './hook-row';
import { PROCESS_MAX_CLOCK } from './process-clock';

/** The durable clock's handlers for a run's maximum duration, by deadline kind. */
export const processClocks = (deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({
  [PROCESS_MAX_CLOCK]: (tx, deadline) => runOverdue(tx, deps, deadline),
});

/**
 * A run still open at its start + the hook's maximum: marked overdue and one `process.overdue` alert, by a
 * conditional update (a finish that came first, or an earlier fire, leaves nothing to do). It can still finish.
 */
async function runOverdue(tx: TrackerTx, deps: TrackerDeps, deadline: DueDeadline): Promise<void> {
  const lock = await tryLockRow(tx, 'process_runs', deadline.key);
  if (lock === 'gone') return;
  if (lock === 'busy') throw new RowBusyError(`run ${deadline.key}`);
  const at = await databaseNow(tx);
  const { count } = await tx.processRun.updateMany({ where: { id: deadline.key, status: 'running', overdueAt: null }, data: { overdueAt: at } });
  if (count === 0) return;
  const run = await tx.processRun.findUniqueOrThrow({ where: { id: deadline.key }, include: { hook: true } });
  const maximum = formatDuration(deadline.dueAt.getTime() - run.startedAt.getTime());
  await raiseAlert(tx, deps.alerts, {
    accountId: run.accountId,
    subject: { kind: 'process_hook', id: run.hook.id, name: run.hook.name },
    event: 'process.overdue',
    title: `${run.hook.name} has run longer than ${maximum}`,
    body: `Run ${run.id} of ${run.hook.name}${run.agent ? ` (agent ${run.agent})` : ''} started at ${moment(run.startedAt)} and is still running at ${moment(at)}, past its maximum of ${maximum}.`,
    statePath: processStatePath(run.hook.id),
    channels: run.hook.alertChannels,
    at,
  });
}
