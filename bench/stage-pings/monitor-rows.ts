import type { Client } from 'pg';

/**
 * What the tracker's heartbeat clock keeps for a monitor waiting in one state: the state, and the kind and payload
 * of its pending deadline (as services/workflow-tracker/src/domain/monitors/ schedules them).
 */
export interface MonitorClock {
  state: string;
  kind: string;
  /** The deadline's payload for a monitor whose next ping was expected at `expectedAt`. */
  payload(expectedAt: Date): unknown;
}

const ID_DIGITS = 7;
const ID_PREFIX = 'mon_bench_';

/** The bench's monitor number `n` (from 1); the due ones are 1 to the number due. */
export const benchMonitorId = (n: number): string => `${ID_PREFIX}${String(n).padStart(ID_DIGITS, '0')}`;
const idSql = (n: string) => `'${ID_PREFIX}' || lpad(${n}::text, ${ID_DIGITS}, '0')`;

/** Every 5 minutes with 1 minute's grace: a cron job's heartbeat. */
export const MONITOR_SCHEDULE = { intervalMs: 300_000, graceMs: 60_000 };

/**
 * Monitors 1 to `count` of `accountId`, in one INSERT … SELECT generate_series: every 5 minutes with a minute's
 * grace, expected at `expectedAt`, waiting in `clock.state`, no alert channels (so going down sends nothing).
 */
export async function insertMonitors(client: Client, table: string, options: { accountId: string; count: number; clock: MonitorClock; expectedAt: Date }): Promise<void> {
  await client.query(
    `INSERT INTO ${table} (id, account_id, name, interval_ms, grace_ms, state, last_ping_at, expected_at, alert_channels, updated_at)
     SELECT ${idSql('n')}, $1, 'bench monitor ' || n, $3::int, $4::int, $5, $6::timestamptz - $3::int * interval '1 millisecond', $6::timestamptz, '{}', now()
       FROM generate_series(1, $2::int) AS n`,
    [options.accountId, options.count, MONITOR_SCHEDULE.intervalMs, MONITOR_SCHEDULE.graceMs, options.clock.state, options.expectedAt.toISOString()],
  );
}

/** The clock rows of monitors `from` to `to`, due `dueInMs` from the database's now() (negative: already due). */
export async function insertDeadlines(
  client: Client,
  table: string,
  options: { clock: MonitorClock; expectedAt: Date; from: number; to: number; dueInMs: number },
): Promise<void> {
  if (options.to < options.from) return;
  await client.query(
    `INSERT INTO ${table} (id, kind, key, due_at, payload)
     SELECT gen_random_uuid()::text, $1, ${idSql('n')}, now() + $4::float8 * interval '1 millisecond', $5::jsonb
       FROM generate_series($2::int, $3::int) AS n`,
    [options.clock.kind, options.from, options.to, options.dueInMs, JSON.stringify(options.clock.payload(options.expectedAt))],
  );
}
