import { TRACKER_SCHEMA, type TrackerTx } from '../../data/prisma';

/**
 * The database's clock, read now (not at the start of the transaction, which may have waited for a lock). Every
 * due time, ping time and run time comes from here, the clock the durable clock's sweeper compares with.
 */
export async function databaseNow(tx: TrackerTx): Promise<Date> {
  const [row] = await tx.$queryRawUnsafe<{ ms: number }[]>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`);
  return new Date(Math.floor(row!.ms));
}

const table = (name: string) => `"${TRACKER_SCHEMA}"."${name}"`;

/**
 * Locks a row for this transaction (waiting for whoever holds it). False when there is no such row. Requests lock the
 * subject row before its clock row; the clock's handlers, which hold the clock row already, use `tryLockRow`.
 */
export async function lockRow(tx: TrackerTx, tableName: 'monitors' | 'process_hooks' | 'process_runs', id: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table(tableName)} WHERE id = $1 FOR UPDATE`, id);
  return rows.length > 0;
}

/**
 * Locks the monitors that depend on `monitorId` and are down and not paused (re-checked once locked), in id order;
 * returns their ids. The caller holds `monitorId`'s row: a dependency's row is locked before its dependents' rows.
 */
export async function lockDownDependents(tx: TrackerTx, monitorId: string): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM ${table('monitors')} WHERE depends_on = $1 AND state = 'down' AND NOT paused ORDER BY id FOR UPDATE`,
    monitorId,
  );
  return rows.map((row) => row.id);
}

/** Keeps a row from being deleted while this transaction adds rows that refer to it (a ping, a run). */
export async function holdRow(tx: TrackerTx, tableName: 'monitors' | 'process_hooks', id: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table(tableName)} WHERE id = $1 FOR KEY SHARE`, id);
  return rows.length > 0;
}

/**
 * For a clock handler: locks the row without waiting. `busy` means a request holds it right now and will move or
 * cancel this clock itself; the handler throws, and the sweeper tries the deadline again a moment later. Waiting
 * instead could deadlock: that request, holding the row, waits for the clock row the handler holds.
 */
export async function tryLockRow(tx: TrackerTx, tableName: 'monitors' | 'process_runs', id: string): Promise<'locked' | 'busy' | 'gone'> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table(tableName)} WHERE id = $1 FOR UPDATE SKIP LOCKED`, id);
  if (rows.length > 0) return 'locked';
  const exists = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table(tableName)} WHERE id = $1`, id);
  return exists.length > 0 ? 'busy' : 'gone';
}

export class RowBusyError extends Error {
  constructor(what: string) {
    super(`${what} is being changed by a request; the clock tries again shortly`);
    this.name = 'RowBusyError';
  }
}
