import type { Client } from 'pg';
import { benchMonitorId, insertDeadlines, insertMonitors, type MonitorClock } from './monitor-rows';

const POLL_MS = 20;
/** The monitors not due yet fall due this far out: well after the run. */
const LATER_MS = 3_600_000;
const EXPECTED_AGO_MS = 30_000;

export interface CheckerPass {
  monitors: number;
  due: number;
  /** From the instant they fell due until none was left to handle (or until the run stopped waiting). */
  totalMs: number;
  /** Until the first due monitors were seen handled (a sweep commits its whole batch at once). */
  firstMs: number;
  /** Due deadlines still waiting for their first run when the run stopped waiting (0: all handled). */
  left: number;
  /** Due deadlines whose handler failed, put off by the sweeper to try again later. */
  postponed: number;
  lastError?: string;
  pollMs: number;
  /** The due monitors by state afterwards. */
  states: Record<string, number>;
}

export interface CheckerTables {
  monitors: string;
  deadlines: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fills the tracker's tables with `monitors` monitors and their deadlines, all due in an hour, then makes the first
 * `due` of them due `leadMs` from the database's now(): a sleeping sweeper wakes at that instant (it sleeps until
 * the next due time when that comes before its interval), so the figure counts from the due time, not from a
 * sweep interval that happened to be under way. Polls the database until none of them waits for its first run.
 */
export async function measureCheckerPass(
  client: Client,
  tables: CheckerTables,
  options: { accountId: string; clock: MonitorClock; monitors: number; due: number; leadMs: number; timeoutSeconds: number },
  duringPass: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
): Promise<CheckerPass> {
  const { clock } = options;
  // Their pings were expected a little while ago; the handler finds the monitor as its clock row describes it.
  const expectedAt = new Date(Date.now() - EXPECTED_AGO_MS);
  await insertMonitors(client, tables.monitors, { accountId: options.accountId, count: options.monitors, clock, expectedAt });
  await insertDeadlines(client, tables.deadlines, { clock, expectedAt, from: 1, to: options.monitors, dueInMs: LATER_MS });
  await client.query(`ANALYZE ${tables.monitors}`);
  await client.query(`ANALYZE ${tables.deadlines}`);

  const dueIds = Array.from({ length: options.due }, (_, index) => benchMonitorId(index + 1));
  const made = await client.query<{ due_ms: number }>(
    `UPDATE ${tables.deadlines} SET due_at = now() + $3::float8 * interval '1 millisecond'
      WHERE kind = $1 AND key = ANY($2::text[]) RETURNING (extract(epoch FROM due_at) * 1000)::float8 AS due_ms`,
    [clock.kind, dueIds, options.leadMs],
  );
  const dueMs = made.rows[0]!.due_ms;

  const poll = async () => {
    const { rows } = await client.query<{ pending: number; postponed: number; now_ms: number }>(
      `SELECT count(*) FILTER (WHERE attempts = 0 AND due_at <= to_timestamp($3::float8 / 1000))::int AS pending,
              count(*) FILTER (WHERE attempts > 0)::int AS postponed,
              (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms
         FROM ${tables.deadlines} WHERE kind = $1 AND key = ANY($2::text[])`,
      [clock.kind, dueIds, dueMs],
    );
    return rows[0]!;
  };
  let firstMs = Number.NaN;
  const last = await duringPass(async () => {
    for (;;) {
      const state = await poll();
      const afterMs = state.now_ms - dueMs;
      if (Number.isNaN(firstMs) && state.pending + state.postponed < options.due) firstMs = afterMs;
      if (state.pending === 0 || afterMs > options.timeoutSeconds * 1000) return { ...state, afterMs };
      await sleep(POLL_MS);
    }
  });

  const states = await client.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM ${tables.monitors} WHERE id = ANY($1::text[]) GROUP BY state ORDER BY state`,
    [dueIds],
  );
  const failed = await client.query<{ last_error: string }>(
    `SELECT last_error FROM ${tables.deadlines} WHERE kind = $1 AND key = ANY($2::text[]) AND attempts > 0 LIMIT 1`,
    [clock.kind, dueIds],
  );
  return {
    monitors: options.monitors,
    due: options.due,
    totalMs: last.afterMs,
    firstMs,
    left: last.pending,
    postponed: last.postponed,
    ...(failed.rows[0] && { lastError: failed.rows[0].last_error }),
    pollMs: POLL_MS,
    states: Object.fromEntries(states.rows.map((row) => [row.state, row.n])),
  };
}
