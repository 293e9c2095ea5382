import type { DurableLogger, SqlClient, TransactionalDb } from '../sql-client';
import { createWakeLoop, type WakeLoop } from '../wake-loop';
import type { Deadlines, DueDeadline } from './deadline-table';
import { DEFAULT_RETRY_DELAYS, retryDelayMs, type RetryDelays } from './retry-delay';

/**
 * Does what a deadline of one kind means. It gets the sweeper's transaction: its writes (and its outbox rows, for
 * what it publishes) commit together with the deadline's deletion, or not at all. A throw rolls its writes back
 * and the deadline is tried again later.
 */
export type DeadlineHandler<Tx extends SqlClient> = (tx: Tx, deadline: DueDeadline) => Promise<void>;

export interface DeadlineSweeperOptions<Tx extends SqlClient> {
  db: TransactionalDb<Tx>;
  deadlines: Deadlines;
  /** One handler per kind; the sweeper takes only deadlines of these kinds, so copies with other kinds may share the table. */
  handlers: Readonly<Record<string, DeadlineHandler<Tx>>>;
  logger: DurableLogger;
  /** Longest sleep between sweeps; the sweeper also wakes at the next due time when that is sooner. */
  intervalMs: number;
  /** Deadlines claimed and fired per transaction (default 50). */
  batchSize?: number;
  retryDelays?: RetryDelays;
  /** Longest a sweep's transaction may hold its deadlines (default 30 s). */
  transactionTimeoutMs?: number;
}

export type DeadlineSweeper = WakeLoop;

const SAVEPOINT = 'durable_deadline';

/**
 * Fires due deadlines, each once. A sweep is one transaction: lock a batch of deadlines due by the database's
 * now() with `FOR UPDATE SKIP LOCKED` (two sweepers never take the same one), run each handler inside a savepoint
 * and delete the deadline, commit. A failing handler is rolled back to its savepoint and its deadline postponed
 * with a growing delay, never dropped; a sweeper killed mid-sweep commits nothing, and the deadlines it held fire
 * from another sweep. So a deadline's database effects happen exactly once.
 */
export function createDeadlineSweeper<Tx extends SqlClient>(options: DeadlineSweeperOptions<Tx>): DeadlineSweeper {
  const kinds = Object.keys(options.handlers);
  const batchSize = options.batchSize ?? 50;
  const timeout = options.transactionTimeoutMs ?? 30_000;
  const delays = options.retryDelays ?? DEFAULT_RETRY_DELAYS;

  async function fire(tx: Tx, deadline: DueDeadline): Promise<void> {
    const handler = options.handlers[deadline.kind];
    await tx.$executeRawUnsafe(`SAVEPOINT ${SAVEPOINT}`);
    try {
      if (!handler) throw new Error(`no handler for deadline kind "${deadline.kind}"`);
      await handler(tx, deadline);
      await options.deadlines.remove(tx, deadline.id);
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    } catch (error) {
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await postpone(tx, deadline, error);
    }
  }

  async function postpone(db: SqlClient, deadline: DueDeadline, error: unknown): Promise<void> {
    const failures = deadline.attempts + 1;
    const delayMs = retryDelayMs(delays, failures);
    const message = error instanceof Error ? error.message : String(error);
    await options.deadlines.postpone(db, deadline, delayMs, message);
    options.logger.warn({ kind: deadline.kind, key: deadline.key, failures, retryInMs: delayMs, err: message }, 'deadline handler failed');
  }

  async function round() {
    let firing: DueDeadline | undefined;
    let claimed: number;
    try {
      claimed = await options.db.$transaction(
        async (tx) => {
          const due = await options.deadlines.claimDue(tx, kinds, batchSize);
          for (const deadline of due) {
            firing = deadline;
            await fire(tx, deadline);
          }
          firing = undefined;
          return due.length;
        },
        { timeout },
      );
    } catch (error) {
      // The whole sweep rolled back (a handler outlived the transaction, or the connection broke): the deadline that
      // was firing is postponed on its own, so one slow handler cannot hold back every later sweep. The others of
      // the sweep are still due and go again.
      if (firing) await postpone(options.db, firing, error).catch(() => undefined);
      throw error;
    }
    if (claimed === batchSize) return { more: true };
    return { more: false, nextDueInMs: await options.deadlines.nextDueInMs(options.db, kinds) };
  }

  return createWakeLoop({ name: 'deadline sweeper', intervalMs: options.intervalMs, round, logger: options.logger });
}
