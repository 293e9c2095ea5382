import { randomUUID } from 'node:crypto';
import { MILLISECONDS, qualifiedTable, type SqlClient } from '../sql-client';

/** When a deadline falls due: a moment, or a delay from the database's now() (immune to this process's clock). */
export type DueTime = { dueAt: Date } | { dueInMs: number };

export type NewDeadline = DueTime & {
  /** What to do; names the sweeper's handler. */
  kind: string;
  /** What it is about (an approval id, a monitor id): one deadline per kind and key. */
  key: string;
  payload?: unknown;
};

/** A deadline that fell due, as its handler gets it. */
export interface DueDeadline {
  id: string;
  kind: string;
  key: string;
  dueAt: Date;
  payload: unknown;
  /** How many earlier runs of its handler failed. */
  attempts: number;
}

export interface ScheduleOptions {
  /**
   * What to do when (kind, key) is already scheduled: `reschedule` (the default) replaces the due time and payload
   * and clears the failed attempts, `keep` leaves the existing deadline as it is.
   */
  onConflict?: 'reschedule' | 'keep';
}

export interface Deadlines {
  /** The table, `"schema"."deadlines"`. */
  table: string;
  /** Schedules with the caller's transaction (or client). Resolves true when it wrote the deadline. */
  schedule(db: SqlClient, deadline: NewDeadline, options?: ScheduleOptions): Promise<boolean>;
  /**
   * Removes a deadline that has not fired; false when there is none. A sweeper firing it holds its row, so a
   * cancel waits for that fire to commit and then finds nothing: in one transaction with the caller's own
   * change, the answer says who won.
   */
  cancel(db: SqlClient, kind: string, key: string): Promise<boolean>;
  /**
   * Removes a deadline that no sweeper holds, without waiting for one that does (false then). For a caller whose
   * transaction already locked what the deadline's handler locks next: waiting there would deadlock with the
   * sweeper. Safe only when the handler, once it runs, finds nothing left to do.
   */
  cancelUnlessHeld(db: SqlClient, kind: string, key: string): Promise<boolean>;
  /** Locks up to `limit` due deadlines of these kinds that no other transaction holds, oldest due first. */
  claimDue(tx: SqlClient, kinds: readonly string[], limit: number): Promise<DueDeadline[]>;
  remove(tx: SqlClient, id: string): Promise<void>;
  /**
   * Counts a failed run of `deadline` and moves it `delayMs` past the database's now(). Only if it is still as it
   * was claimed and no other transaction holds it: a deadline another sweeper took meanwhile is that sweeper's.
   */
  postpone(db: SqlClient, deadline: DueDeadline, delayMs: number, error: string): Promise<void>;
  /** Milliseconds until the earliest deadline of these kinds that no one holds (negative when overdue). */
  nextDueInMs(db: SqlClient, kinds: readonly string[]): Promise<number | undefined>;
}

const MAX_ERROR_CHARS = 2_000;

/** The deadlines table of a service's Postgres schema (model `Deadline`, see libs/durable/README.md). */
export function defineDeadlines(options: { schema: string }): Deadlines {
  const table = qualifiedTable(options.schema, 'deadlines');
  const ofKinds = 'kind IN (SELECT jsonb_array_elements_text($1::jsonb))';

  return {
    table,
    async schedule(db, deadline, scheduleOptions = {}) {
      const due = 'dueAt' in deadline ? '$4::timestamptz' : `now() + $4::float8 * ${MILLISECONDS}`;
      const dueValue = 'dueAt' in deadline ? deadline.dueAt.toISOString() : deadline.dueInMs;
      const onConflict =
        scheduleOptions.onConflict === 'keep'
          ? 'DO NOTHING'
          : // A new id: a handler rescheduling its own deadline makes a new one, which the sweep's removal of the
            // claimed id leaves in place.
            'DO UPDATE SET id = EXCLUDED.id, due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, attempts = 0, last_error = NULL';
      const written = await db.$executeRawUnsafe(
        `INSERT INTO ${table} (id, kind, key, due_at, payload) VALUES ($1, $2, $3, ${due}, $5::jsonb)
         ON CONFLICT (kind, key) ${onConflict}`,
        randomUUID(),
        deadline.kind,
        deadline.key,
        dueValue,
        JSON.stringify(deadline.payload ?? null),
      );
      return written > 0;
    },
    async cancel(db, kind, key) {
      return (await db.$executeRawUnsafe(`DELETE FROM ${table} WHERE kind = $1 AND key = $2`, kind, key)) > 0;
    },
    async cancelUnlessHeld(db, kind, key) {
      const deleted = await db.$executeRawUnsafe(
        `DELETE FROM ${table} WHERE id = (SELECT id FROM ${table} WHERE kind = $1 AND key = $2 FOR UPDATE SKIP LOCKED)`,
        kind,
        key,
      );
      return deleted > 0;
    },
    async claimDue(tx, kinds, limit) {
      const rows = await tx.$queryRawUnsafe<
        Array<{ id: string; kind: string; key: string; due_ms: number; payload: string; attempts: number }>
      >(
        `SELECT id, kind, key, (extract(epoch FROM due_at) * 1000)::float8 AS due_ms, payload::text AS payload, attempts
           FROM ${table} WHERE due_at <= now() AND ${ofKinds}
          ORDER BY due_at, id LIMIT $2::int FOR UPDATE SKIP LOCKED`,
        JSON.stringify(kinds),
        limit,
      );
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        key: row.key,
        dueAt: new Date(row.due_ms),
        payload: JSON.parse(row.payload) as unknown,
        attempts: row.attempts,
      }));
    },
    async remove(tx, id) {
      await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE id = $1`, id);
    },
    async postpone(db, deadline, delayMs, error) {
      await db.$executeRawUnsafe(
        `UPDATE ${table} SET attempts = attempts + 1, last_error = $3, due_at = now() + $4::float8 * ${MILLISECONDS}
          WHERE id = (SELECT id FROM ${table} WHERE id = $1 AND attempts = $2 FOR UPDATE SKIP LOCKED)`,
        deadline.id,
        deadline.attempts,
        error.slice(0, MAX_ERROR_CHARS),
        delayMs,
      );
    },
    async nextDueInMs(db, kinds) {
      // SKIP LOCKED: a deadline another sweeper is firing right now is its business, not a reason to wake.
      const [row] = await db.$queryRawUnsafe<Array<{ in_ms: number }>>(
        `SELECT (extract(epoch FROM due_at - now()) * 1000)::float8 AS in_ms
           FROM ${table} WHERE ${ofKinds} ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        JSON.stringify(kinds),
      );
      return row?.in_ms;
    },
  };
}
