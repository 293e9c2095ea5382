import type { TrackerTx } from '../../data/prisma';
import { raiseAlert, type AlertDeps } from '../alerts';
import { formatDuration, moment } from './durations';
import { lockDownDependents } from './database-clock';
import { setRepeatClock } from './heartbeat-clock';
import type { MonitorRow } from './monitor-row';

/** Why a dependency no longer holds back a dependent's alerts. */
export type DependencyLeftDown = 'up again' | 'resumed' | 'deleted';

export type MonitorEvent =
  | { event: 'monitor.down'; expectedAt: Date }
  /** A down held back while the dependency was down, told once the dependency left down. */
  | { event: 'monitor.down'; heldBackBy: { name: string; now: DependencyLeftDown } }
  | { event: 'monitor.up'; previousPingAt: Date | null }
  | { event: 'monitor.failed'; exitCode: number | null; previousPingAt: Date | null };

export const monitorStatePath = (monitorId: string) => `/api/heartbeats/${monitorId}`;

function wording(monitor: MonitorRow, what: MonitorEvent, at: Date): { title: string; body: string } {
  const lastPing = monitor.lastPingAt ? moment(monitor.lastPingAt) : 'never';
  switch (what.event) {
    case 'monitor.down':
      if ('heldBackBy' in what) {
        const dependency = what.heldBackBy.name;
        return {
          title: `${monitor.name} is down`,
          body:
            `${monitor.name} went down while ${dependency}, which it depends on, was down, so its alert was held back; ` +
            `${dependency} is ${what.heldBackBy.now} (${moment(at)}) and ${monitor.name} is still down. Last ping: ${lastPing}.`,
        };
      }
      return {
        title: `${monitor.name} is down`,
        body:
          `${monitor.name} did not ping: it was expected by ${moment(what.expectedAt)}` +
          `${monitor.graceMs > 0 ? `, and the grace period of ${formatDuration(monitor.graceMs)} has passed` : ''}. ` +
          `Down since ${moment(at)}. Last ping: ${lastPing}.`,
      };
    case 'monitor.up':
      return {
        title: `${monitor.name} is up again`,
        body: `${monitor.name} pinged at ${moment(at)} and is up again. Ping before this one: ${what.previousPingAt ? moment(what.previousPingAt) : 'never'}.`,
      };
    case 'monitor.failed': {
      const code = what.exitCode === null ? '' : ` (exit code ${what.exitCode})`;
      return {
        title: `${monitor.name} reported a failure${code}`,
        body: `${monitor.name} sent a failure ping${code} at ${moment(at)}. Ping before this one: ${what.previousPingAt ? moment(what.previousPingAt) : 'never'}.`,
      };
    }
  }
}

/** True while the monitor this one depends on is down: then this one raises no alert of its own. */
async function dependencyDown(tx: TrackerTx, monitor: MonitorRow): Promise<boolean> {
  if (!monitor.dependsOn) return false;
  const parent = await tx.monitor.findUnique({ where: { id: monitor.dependsOn }, select: { state: true } });
  return parent?.state === 'down';
}

/**
 * Raises a monitor's alert in the caller's transaction, unless the monitor it depends on is down (its state still
 * changes; only the alert is held back). A down or failed alert of a monitor with `repeatAlertMs` and alert channels
 * starts its repeat clock. Returns the alert's id, or null when none was raised.
 */
export async function raiseMonitorAlert(tx: TrackerTx, deps: AlertDeps, monitor: MonitorRow, what: MonitorEvent, at: Date): Promise<string | null> {
  if (await dependencyDown(tx, monitor)) return null;
  return raiseNow(tx, deps, monitor, what, at);
}

async function raiseNow(tx: TrackerTx, deps: AlertDeps, monitor: MonitorRow, what: MonitorEvent, at: Date): Promise<string | null> {
  const { title, body } = wording(monitor, what, at);
  const alertId = await raiseAlert(tx, deps, {
    accountId: monitor.accountId,
    subject: { kind: 'monitor', id: monitor.id, name: monitor.name },
    event: what.event,
    title,
    body,
    statePath: monitorStatePath(monitor.id),
    channels: monitor.alertChannels,
    at,
    priority: what.event === 'monitor.up' ? 'normal' : 'high',
  });
  if (alertId && what.event !== 'monitor.up' && monitor.repeatAlertMs !== null && monitor.alertChannels.length > 0) {
    await setRepeatClock(tx, monitor.id, monitor.repeatAlertMs, { alertId });
  }
  return alertId;
}

/** Whether a repeat may be told now (the dependency rule holds for repeats too). */
export const repeatHeldBack = dependencyDown;

/**
 * `dependency` has just left down (a good ping made it up again, it was resumed, or it is being deleted), in the
 * caller's transaction, which holds its row. Each dependent still down and not paused whose down its channels were
 * never told (its latest alert is none, or a `monitor.up`: they last heard it was fine) raises its `monitor.down`
 * now, and its repeat starts. A dependent whose channels heard it go down (`monitor.down`, `monitor.failed`) raises
 * nothing new; one that came back up while the dependency was down stays silent (no `monitor.up`).
 *
 * Locks: the dependency's row (held by the caller) before its dependents' rows, taken here in id order, before
 * their clock rows: the order every request keeps (deleteMonitor clears depends_on the same way), and the clock's
 * handlers never wait for a monitor's row.
 */
export async function tellHeldBackDowns(tx: TrackerTx, deps: AlertDeps, dependency: Pick<MonitorRow, 'id' | 'name'>, now: DependencyLeftDown, at: Date): Promise<void> {
  for (const dependentId of await lockDownDependents(tx, dependency.id)) {
    const dependent = await tx.monitor.findUniqueOrThrow({ where: { id: dependentId } });
    const latest = await tx.alert.findFirst({
      // Since this monitor was created: a deleted monitor's id may have been taken again.
      where: { subjectKind: 'monitor', subjectId: dependent.id, accountId: dependent.accountId, createdAt: { gte: dependent.createdAt } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { event: true },
    });
    if (latest && latest.event !== 'monitor.up') continue;
    await raiseNow(tx, deps, dependent, { event: 'monitor.down', heldBackBy: { name: dependency.name, now } }, at);
  }
}
