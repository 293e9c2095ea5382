import { newId } from '@pingback/security';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { databaseNow, lockRow } from './database-clock';
import { mustOwn } from '../domain-errors';
import { setHeartbeatClock, stopClocks } from './heartbeat-clock';
import { raiseMonitorAlert, tellHeldBackDowns } from './monitor-alerts';
import { PINGS_KEPT, scheduleOf, type MonitorRow, type MonitorState } from './monitor-row';
import type { PingOutcome } from './ping-status';
import { nextDue } from './schedule';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface PingInput {
  accountId: string;
  monitorId: string;
  outcome: PingOutcome;
  /** The ping's JSON body as sent (without the key), or null when it had none. */
  metadata: JsonObject | null;
}

export interface PingRecorded {
  monitorId: string;
  state: MonitorState;
  paused: boolean;
  receivedAt: Date;
}

/**
 * A heartbeat ping, in one transaction: the ping is recorded (the oldest beyond the last PINGS_KEPT go), and unless
 * the monitor is paused its state, its clock and its alerts follow:
 * - good: up, next expected time from now (interval, or the next cron slot), its clock moved there; from down, one
 *   `monitor.up` alert, the repeat stops, and dependents that went down meanwhile tell it now (tellHeldBackDowns);
 * - failure: down at once with a `monitor.failed` alert (every failure ping alerts), no late/down clock while down.
 * A paused monitor's ping is recorded and sets its last ping time, nothing else.
 */
export async function recordPing(deps: TrackerDeps, input: PingInput): Promise<PingRecorded> {
  const recorded = await deps.db.$transaction(async (tx) => {
    // The monitor first, then its clock rows: two pings at once take turns here, and the clock's handlers never wait for it.
    await lockRow(tx, 'monitors', input.monitorId);
    const monitor = mustOwn(await tx.monitor.findUnique({ where: { id: input.monitorId } }), input.accountId, 'heartbeat');
    const at = await databaseNow(tx);
    await tx.monitorPing.create({
      data: { id: newId('mpg_'), monitorId: monitor.id, status: input.outcome.ok ? 'ok' : 'fail', receivedAt: at, ...(input.metadata ? { metadata: input.metadata } : {}) },
    });
    await keepLastPings(tx, monitor.id);
    if (monitor.paused) {
      await tx.monitor.update({ where: { id: monitor.id }, data: { lastPingAt: at } });
      return { monitorId: monitor.id, state: monitor.state as MonitorState, paused: true, receivedAt: at };
    }
    const state = input.outcome.ok ? await goodPing(tx, deps, monitor, at) : await failurePing(tx, deps, monitor, at, input.outcome.exitCode);
    return { monitorId: monitor.id, state, paused: false, receivedAt: at };
  });
  deps.kickOutbox();
  return recorded;
}

async function goodPing(tx: TrackerTx, deps: TrackerDeps, monitor: MonitorRow, at: Date): Promise<MonitorState> {
  const expectedAt = nextDue(scheduleOf(monitor), at);
  await setHeartbeatClock(tx, monitor.id, expectedAt, { phase: 'late', expectedAt: expectedAt.toISOString() });
  const updated = await tx.monitor.update({ where: { id: monitor.id }, data: { state: 'up', lastPingAt: at, expectedAt } });
  if (monitor.state === 'down') {
    await stopClocks(tx, monitor.id, 'repeat');
    await raiseMonitorAlert(tx, deps.alerts, updated, { event: 'monitor.up', previousPingAt: monitor.lastPingAt }, at);
    await tellHeldBackDowns(tx, deps.alerts, updated, 'up again', at);
  }
  return 'up';
}

async function failurePing(tx: TrackerTx, deps: TrackerDeps, monitor: MonitorRow, at: Date, exitCode: number | null): Promise<MonitorState> {
  // Still expected on schedule (shown as next_expected_at), but a down monitor has nothing left to miss: no clock.
  const expectedAt = nextDue(scheduleOf(monitor), at);
  await stopClocks(tx, monitor.id, 'heartbeat');
  const updated = await tx.monitor.update({ where: { id: monitor.id }, data: { state: 'down', lastPingAt: at, expectedAt } });
  await raiseMonitorAlert(tx, deps.alerts, updated, { event: 'monitor.failed', exitCode, previousPingAt: monitor.lastPingAt }, at);
  return 'down';
}

/** Deletes the pings beyond the last PINGS_KEPT (ids are time-ordered: the order GET …/pings lists them in). */
async function keepLastPings(tx: TrackerTx, monitorId: string): Promise<void> {
  const old = await tx.monitorPing.findMany({ where: { monitorId }, orderBy: { id: 'desc' }, skip: PINGS_KEPT, select: { id: true }, take: 50 });
  if (old.length > 0) await tx.monitorPing.deleteMany({ where: { id: { in: old.map((p) => p.id) } } });
}
