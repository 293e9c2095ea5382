import { trackerDeadlines } from '../../data/durable-tables';
import type { TrackerTx } from '../../data/prisma';

/**
 * One clock row per monitor (key: the monitor's id): `late` at the expected time, then `down` at expected + grace.
 * Each good ping moves it (reschedule), so checking costs as many rows as are due, however many monitors exist.
 */
export const HEARTBEAT_CLOCK = 'heartbeat';
/** One per down monitor whose down alert repeats until acknowledged (key: the monitor's id). */
export const REPEAT_CLOCK = 'heartbeat_repeat';

export interface HeartbeatDue {
  phase: 'late' | 'down';
  /** The expected time this clock was set for: a ping that came meanwhile moved it, and the handler then does nothing. */
  expectedAt: string;
}

export interface RepeatDue {
  alertId: string;
}

export async function setHeartbeatClock(tx: TrackerTx, monitorId: string, dueAt: Date, payload: HeartbeatDue): Promise<void> {
  await trackerDeadlines.schedule(tx, { kind: HEARTBEAT_CLOCK, key: monitorId, dueAt, payload }, { onConflict: 'reschedule' });
}

export async function setRepeatClock(tx: TrackerTx, monitorId: string, dueInMs: number, payload: RepeatDue): Promise<void> {
  await trackerDeadlines.schedule(tx, { kind: REPEAT_CLOCK, key: monitorId, dueInMs, payload }, { onConflict: 'reschedule' });
}

/** Stops a monitor's clocks (paused, deleted, or no longer waiting for a ping). */
export async function stopClocks(tx: TrackerTx, monitorId: string, which: 'heartbeat' | 'repeat' | 'both' = 'both'): Promise<void> {
  if (which !== 'repeat') await trackerDeadlines.cancel(tx, HEARTBEAT_CLOCK, monitorId);
  if (which !== 'heartbeat') await trackerDeadlines.cancel(tx, REPEAT_CLOCK, monitorId);
}

/**
 * From inside a handler, sets the next fire of the clock row being fired: a rescheduled deadline is a new row
 * (libs/durable), which the sweep's removal of the fired one leaves in place.
 */
export async function setNextFire(tx: TrackerTx, kind: string, key: string, due: { dueAt: Date } | { dueInMs: number }, payload: unknown): Promise<void> {
  await trackerDeadlines.schedule(tx, { kind, key, ...due, payload }, { onConflict: 'reschedule' });
}

/**
 * Acknowledged: the repeat of this alert stops. Skips a clock row that a sweeper is firing right now: that fire
 * then finds the alert acknowledged (it waits for this transaction's lock on the alert) and stops by itself.
 */
export async function stopRepeatOf(tx: TrackerTx, monitorId: string, alertId: string): Promise<void> {
  const table = trackerDeadlines.table;
  await tx.$executeRawUnsafe(
    `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE kind = $1 AND key = $2 AND payload->>'alertId' = $3 FOR UPDATE SKIP LOCKED)`,
    REPEAT_CLOCK,
    monitorId,
    alertId,
  );
}
