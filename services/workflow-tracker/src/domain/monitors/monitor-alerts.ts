import type { TrackerTx } from '../../data/prisma';
import { raiseAlert, type AlertDeps } from '../alerts';
import { formatDuration, moment } from './durations';
import { setRepeatClock } from './heartbeat-clock';
import type { MonitorRow } from './monitor-row';

export type MonitorEvent =
  | { event: 'monitor.down'; expectedAt: Date }
  | { event: 'monitor.up'; previousPingAt: Date | null }
  | { event: 'monitor.failed'; exitCode: number | null; previousPingAt: Date | null };

export const monitorStatePath = (monitorId: string) => `/api/heartbeats/${monitorId}`;

function wording(monitor: MonitorRow, what: MonitorEvent, at: Date): { title: string; body: string } {
  const lastPing = monitor.lastPingAt ? moment(monitor.lastPingAt) : 'never';
  switch (what.event) {
    case 'monitor.down':
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
