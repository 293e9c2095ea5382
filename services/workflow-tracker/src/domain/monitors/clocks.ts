import type { DeadlineHandler, DueDeadline } from '@pingback/durable';
import { z } from 'zod';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { tellChannels } from '../alerts';
import { databaseNow, RowBusyError, tryLockRow } from './database-clock';
import { HEARTBEAT_CLOCK, REPEAT_CLOCK, setNextFire } from './heartbeat-clock';
import { monitorStatePath, raiseMonitorAlert, repeatHeldBack } from './monitor-alerts';

const HeartbeatDue = z.object({ phase: z.enum(['late', 'down']), expectedAt: z.iso.datetime() });
const RepeatDue = z.object({ alertId: z.string().min(1) });

/** The durable clock's handlers for heartbeat deadlines (late, down) and repeated down alerts, by deadline kind. */
export const monitorClocks = (deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({
  [HEARTBEAT_CLOCK]: (tx, deadline) => heartbeatDue(tx, deps, deadline),
  [REPEAT_CLOCK]: (tx, deadline) => repeatDue(tx, deps, deadline),
});

/** Locks the monitor without waiting (see tryLockRow); false when it is gone. */
async function lockMonitor(tx: TrackerTx, monitorId: string): Promise<boolean> {
  const lock = await tryLockRow(tx, 'monitors', monitorId);
  if (lock === 'busy') throw new RowBusyError(`heartbeat ${monitorId}`);
  return lock === 'locked';
}

/**
 * up → late at the expected time (no alert; the clock moves to expected + grace); late → down at expected + grace,
 * with one `monitor.down` alert. Each step is a conditional update on the state it leaves AND the expected time
 * the clock was set for: a ping that came meanwhile has moved both, and then this fire does nothing.
 */
async function heartbeatDue(tx: TrackerTx, deps: TrackerDeps, deadline: DueDeadline): Promise<void> {
  const due = HeartbeatDue.safeParse(deadline.payload);
  if (!due.success || !(await lockMonitor(tx, deadline.key))) return;
  const expectedAt = new Date(due.data.expectedAt);
  const from = due.data.phase === 'late' ? 'up' : 'late';
  const { count } = await tx.monitor.updateMany({ where: { id: deadline.key, state: from, paused: false, expectedAt }, data: { state: due.data.phase } });
  if (count === 0) return;
  const monitor = await tx.monitor.findUniqueOrThrow({ where: { id: deadline.key } });
  if (due.data.phase === 'late') {
    const downAt = new Date(expectedAt.getTime() + monitor.graceMs);
    await setNextFire(tx, HEARTBEAT_CLOCK, monitor.id, { dueAt: downAt }, { phase: 'down', expectedAt: due.data.expectedAt });
  } else {
    await raiseMonitorAlert(tx, deps.alerts, monitor, { event: 'monitor.down', expectedAt }, await databaseNow(tx));
  }
}

/**
 * A down monitor's alert, told again every repeat_alert_seconds until it is acknowledged or the monitor leaves down
 * (recovered, paused, deleted). The alert's `repeats` counts the re-tellings; while the monitor's dependency is
 * down a repeat is skipped, not stopped.
 */
async function repeatDue(tx: TrackerTx, deps: TrackerDeps, deadline: DueDeadline): Promise<void> {
  const due = RepeatDue.safeParse(deadline.payload);
  if (!due.success || !(await lockMonitor(tx, deadline.key))) return;
  const monitor = await tx.monitor.findUniqueOrThrow({ where: { id: deadline.key } });
  if (monitor.paused || monitor.state !== 'down' || monitor.repeatAlertMs === null) return;
  const alert = await tx.alert.findUnique({ where: { id: due.data.alertId } });
  if (!alert || alert.acknowledgedAt) return;
  const next = () => setNextFire(tx, REPEAT_CLOCK, monitor.id, { dueInMs: monitor.repeatAlertMs! }, due.data);
  if (await repeatHeldBack(tx, monitor)) return next();
  // Waits for an acknowledgement in flight (it holds the alert's row), then finds nothing to count.
  const { count } = await tx.alert.updateMany({ where: { id: alert.id, acknowledgedAt: null }, data: { repeats: { increment: 1 } } });
  if (count === 0) return;
  const reminder = alert.repeats + 1;
  await tellChannels(tx, deps.alerts, alert.id, {
    accountId: monitor.accountId,
    subject: { kind: 'monitor', id: monitor.id, name: monitor.name },
    event: alert.event,
    title: alert.title,
    body: `Reminder ${reminder}, not acknowledged yet: ${alert.body}`,
    statePath: monitorStatePath(monitor.id),
    channels: monitor.alertChannels,
    at: await databaseNow(tx),
  });
  await next();
}
