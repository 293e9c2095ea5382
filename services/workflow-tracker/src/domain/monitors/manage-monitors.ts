import { isUniqueViolation } from '@pingback/db';
import { newId } from '@pingback/security';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { checkAlertChannels } from '../alert-channels';
import { databaseNow, lockRow } from './database-clock';
import { idTaken, invalidField, mustOwn } from '../domain-errors';
import { setHeartbeatClock, stopClocks } from './heartbeat-clock';
import { tellHeldBackDowns } from './monitor-alerts';
import { scheduleOf, type MonitorRow } from './monitor-row';
import { nextDue, type Schedule } from './schedule';
import { resolveSchedule, sameSchedule, type ScheduleInput } from './schedule-input';

/** What the owner of a heartbeat monitor sets (the API's seconds already turned into milliseconds). */
export interface MonitorSettings {
  name: string;
  schedule: ScheduleInput;
  graceMs: number;
  alertChannels: string[];
  repeatAlertMs: number | null;
  dependsOn: string | null;
}

/** How long a chain of depends_on is followed when looking for a cycle. */
const MAX_DEPENDENCY_DEPTH = 100;

const scheduleColumns = (schedule: Schedule) =>
  'intervalMs' in schedule ? { intervalMs: schedule.intervalMs, cron: null, timezone: 'UTC' } : { intervalMs: null, cron: schedule.cron, timezone: schedule.timezone };

/** A new monitor, `new` until its first ping (no clock runs before it). */
export async function createMonitor(deps: TrackerDeps, accountId: string, id: string | undefined, settings: MonitorSettings): Promise<MonitorRow> {
  const monitorId = id ?? newId('hbk_');
  const schedule = resolveSchedule(settings.schedule, null, deps.now());
  const alertChannels = await checkAlertChannels(deps.gateway, accountId, settings.alertChannels);
  try {
    return await deps.db.$transaction(async (tx) => {
      if (await tx.monitor.findUnique({ where: { id: monitorId }, select: { id: true } })) throw idTaken(monitorId);
      if (settings.dependsOn !== null) await checkDependency(tx, accountId, monitorId, settings.dependsOn);
      return tx.monitor.create({
        data: {
          id: monitorId,
          accountId,
          name: settings.name,
          ...scheduleColumns(schedule),
          graceMs: settings.graceMs,
          repeatAlertMs: settings.repeatAlertMs,
          dependsOn: settings.dependsOn,
          alertChannels,
        },
      });
    });
  } catch (error) {
    // Two creates with one id at once: the primary key decides.
    if (isUniqueViolation(error)) throw idTaken(monitorId);
    throw error;
  }
}

/**
 * Changes the settings given. A new schedule or grace period counts from the last ping: an up or late monitor is up
 * until the newly computed expected time and its clock moves there (a time already past makes it late, then down,
 * at once). A new, down or paused monitor waits for its next ping as before. repeat_alert_seconds set to null
 * stops a running repeat.
 */
export async function updateMonitor(deps: TrackerDeps, accountId: string, monitorId: string, changes: Partial<MonitorSettings>): Promise<MonitorRow> {
  const alertChannels = changes.alertChannels && (await checkAlertChannels(deps.gateway, accountId, changes.alertChannels));
  return deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'monitors', monitorId);
    const monitor = mustOwn(await tx.monitor.findUnique({ where: { id: monitorId } }), accountId, 'heartbeat');
    const schedule = changes.schedule ? resolveSchedule(changes.schedule, monitor, deps.now()) : scheduleOf(monitor);
    const graceMs = changes.graceMs ?? monitor.graceMs;
    if (changes.dependsOn) await checkDependency(tx, accountId, monitorId, changes.dependsOn);
    const timingChanged = !sameSchedule(schedule, scheduleOf(monitor)) || graceMs !== monitor.graceMs;
    const waiting = !monitor.paused && (monitor.state === 'up' || monitor.state === 'late') && monitor.lastPingAt !== null;
    let moved: { state: 'up'; expectedAt: Date } | undefined;
    if (timingChanged && waiting) {
      const expectedAt = nextDue(schedule, monitor.lastPingAt!);
      await setHeartbeatClock(tx, monitor.id, expectedAt, { phase: 'late', expectedAt: expectedAt.toISOString() });
      moved = { state: 'up', expectedAt };
    }
    if (changes.repeatAlertMs === null) await stopClocks(tx, monitor.id, 'repeat');
    return tx.monitor.update({
      where: { id: monitor.id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...scheduleColumns(schedule),
        graceMs,
        ...(changes.repeatAlertMs !== undefined ? { repeatAlertMs: changes.repeatAlertMs } : {}),
        ...(changes.dependsOn !== undefined ? { dependsOn: changes.dependsOn } : {}),
        ...(alertChannels ? { alertChannels } : {}),
        ...moved,
      },
    });
  });
}

/**
 * Deletes a monitor, its pings and its clocks; monitors that depended on it depend on nothing any more (and a down
 * one whose alert it held back tells it now).
 */
export async function deleteMonitor(deps: TrackerDeps, accountId: string, monitorId: string): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'monitors', monitorId);
    const monitor = mustOwn(await tx.monitor.findUnique({ where: { id: monitorId } }), accountId, 'heartbeat');
    await stopClocks(tx, monitorId);
    if (monitor.state === 'down') await tellHeldBackDowns(tx, deps.alerts, monitor, 'deleted', await databaseNow(tx));
    await tx.monitor.updateMany({ where: { dependsOn: monitorId }, data: { dependsOn: null } });
    await tx.monitor.delete({ where: { id: monitorId } });
  });
  deps.kickOutbox();
}

/** Paused: no clock and no alert; pings are still recorded. The state stays as it was, shown with `paused: true`. */
export async function pauseMonitor(deps: TrackerDeps, accountId: string, monitorId: string): Promise<MonitorRow> {
  return deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'monitors', monitorId);
    const monitor = mustOwn(await tx.monitor.findUnique({ where: { id: monitorId } }), accountId, 'heartbeat');
    if (monitor.paused) return monitor;
    await stopClocks(tx, monitorId);
    return tx.monitor.update({ where: { id: monitorId }, data: { paused: true } });
  });
}

/**
 * Resumed: `new` again (no expected time, no clock) until the next ping, which makes it up and starts its clock.
 * Resuming a down monitor ends its hold on its dependents' alerts: a down one whose alert it held back tells it now.
 */
export async function resumeMonitor(deps: TrackerDeps, accountId: string, monitorId: string): Promise<MonitorRow> {
  const resumed = await deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'monitors', monitorId);
    const monitor = mustOwn(await tx.monitor.findUnique({ where: { id: monitorId } }), accountId, 'heartbeat');
    if (!monitor.paused) return monitor;
    const updated = await tx.monitor.update({ where: { id: monitorId }, data: { paused: false, state: 'new', expectedAt: null } });
    if (monitor.state === 'down') await tellHeldBackDowns(tx, deps.alerts, updated, 'resumed', await databaseNow(tx));
    return updated;
  });
  deps.kickOutbox();
  return resumed;
}

/**
 * depends_on names another monitor of the same account, and following the chain never comes back to this one. One
 * account's dependency changes take turns (an advisory lock), so two at once cannot close a cycle between them.
 */
async function checkDependency(tx: TrackerTx, accountId: string, monitorId: string, dependsOn: string): Promise<void> {
  if (dependsOn === monitorId) throw invalidField('depends_on', 'a heartbeat cannot depend on itself');
  await tx.$queryRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))`, `tracker.monitor-dependencies:${accountId}`);
  const parent = await tx.monitor.findUnique({ where: { id: dependsOn }, select: { accountId: true, dependsOn: true } });
  if (!parent || parent.accountId !== accountId) throw invalidField('depends_on', `no heartbeat ${dependsOn} in this account`);
  let next = parent.dependsOn;
  for (let depth = 0; next !== null && depth < MAX_DEPENDENCY_DEPTH; depth += 1) {
    if (next === monitorId) throw invalidField('depends_on', `${dependsOn} already depends on this heartbeat (a cycle)`);
    next = (await tx.monitor.findUnique({ where: { id: next }, select: { dependsOn: true } }))?.dependsOn ?? null;
  }
  if (next !== null) throw invalidField('depends_on', `the chain of dependencies is longer than ${MAX_DEPENDENCY_DEPTH}`);
}
