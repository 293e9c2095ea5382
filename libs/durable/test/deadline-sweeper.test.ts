import { isolateTestFile, waitFor, type IsolatedTestFile } from '@pingback/testing';
import { Pool } from 'pg';
import {
  createDeadlineSweeper,
  defineDeadlines,
  pgDatabase,
  type DeadlineHandler,
  type DeadlineSweeper,
  type SqlClient,
  type TransactionalDb,
} from '../src';
import { createDurableTables } from './support/durable-models';
import { testLogger } from './support/test-broker';

/**
 * Real: Postgres (this file's database; the deadlines table made from the README's model). The sweeper runs in
 * this process; handlers record what they did in `fires`, inside the sweep's transaction.
 */
const SCHEMA = 'durable_sweeper';

const deadlines = defineDeadlines({ schema: SCHEMA });

interface Row {
  kind: string;
  key: string;
  due_at: Date;
  payload: unknown;
  attempts: number;
  last_error: string | null;
}

describe('the deadline sweeper', () => {
  let infra: IsolatedTestFile;
  let pool: Pool;
  let db: TransactionalDb;
  let sweeper: DeadlineSweeper | undefined;

  beforeAll(async () => {
    infra = await isolateTestFile();
    await createDurableTables(infra.databaseUrl, SCHEMA);
    pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
    db = pgDatabase(pool);
    await pool.query(`CREATE TABLE ${SCHEMA}.fires (key text NOT NULL, attempts int NOT NULL)`);
  });

  afterEach(async () => {
    await sweeper?.stop();
    sweeper = undefined;
    await pool.query(`TRUNCATE ${SCHEMA}.fires, ${SCHEMA}.deadlines`);
  });

  afterAll(async () => {
    await pool?.end();
    await infra?.cleanup();
  });

  const recordFire: DeadlineHandler<SqlClient> = async (tx, deadline) => {
    await tx.$executeRawUnsafe(`INSERT INTO ${SCHEMA}.fires (key, attempts) VALUES ($1, $2)`, deadline.key, deadline.attempts);
  };

  function startSweeper(options: { intervalMs: number; handler?: DeadlineHandler<SqlClient>; retryDelays?: { firstMs: number; maxMs: number } }) {
    sweeper = createDeadlineSweeper({
      db,
      deadlines,
      logger: testLogger(),
      intervalMs: options.intervalMs,
      handlers: { 'test.fire': options.handler ?? recordFire },
      ...(options.retryDelays ? { retryDelays: options.retryDelays } : {}),
    });
    sweeper.start();
    return sweeper;
  }

  const fires = async (): Promise<Array<{ key: string; attempts: number }>> =>
    (await pool.query<{ key: string; attempts: number }>(`SELECT key, attempts FROM ${SCHEMA}.fires ORDER BY key, attempts`)).rows;
  const row = async (key: string): Promise<Row | undefined> =>
    (await pool.query<Row>(`SELECT kind, key, due_at, payload, attempts, last_error FROM ${SCHEMA}.deadlines WHERE key = $1`, [key])).rows[0];
  /** Milliseconds from the database's now() to the deadline's due time. */
  const dueInMs = async (key: string): Promise<number> =>
    (await pool.query<{ ms: number }>(`SELECT (extract(epoch FROM due_at - now()) * 1000)::float8 AS ms FROM ${SCHEMA}.deadlines WHERE key = $1`, [key])).rows[0]!.ms;

  test('when a deadline is scheduled with dueInMs, then it falls due that long after the database clock', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'later', dueInMs: 60_000 });

    const inMs = await dueInMs('later');

    expect(inMs).toBeGreaterThan(59_000);
    expect(inMs).toBeLessThanOrEqual(60_000);
  });

  test('when a deadline is scheduled again, then the latest call wins, unless the call says keep', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'moved', dueInMs: 60_000, payload: { v: 1 } });
    await pool.query(`UPDATE ${SCHEMA}.deadlines SET attempts = 3, last_error = 'boom' WHERE key = 'moved'`);

    expect(await deadlines.schedule(db, { kind: 'test.fire', key: 'moved', dueInMs: 120_000, payload: { v: 2 } })).toBe(true);
    expect(await row('moved')).toMatchObject({ payload: { v: 2 }, attempts: 0, last_error: null });
    expect(await dueInMs('moved')).toBeGreaterThan(119_000);

    const kept = await deadlines.schedule(db, { kind: 'test.fire', key: 'moved', dueAt: new Date(Date.now() + 1_000), payload: { v: 3 } }, { onConflict: 'keep' });
    expect(kept).toBe(false);
    expect(await row('moved')).toMatchObject({ payload: { v: 2 } });
    expect(Number((await pool.query(`SELECT count(*) FROM ${SCHEMA}.deadlines`)).rows[0].count)).toBe(1);
  });

  test('when a deadline is cancelled before it falls due, then it never fires, and a second cancel finds nothing', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'cancelled', dueInMs: 300 });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'kept', dueInMs: 300 });

    expect(await deadlines.cancel(db, 'test.fire', 'cancelled')).toBe(true);
    expect(await deadlines.cancel(db, 'test.fire', 'cancelled')).toBe(false);
    startSweeper({ intervalMs: 50 });
    await waitFor(async () => (await fires()).length > 0, { description: 'the other deadline to fire' });

    expect(await fires()).toEqual([{ key: 'kept', attempts: 0 }]);
  });

  /** A sweeper whose handler records the fire and then holds its transaction (and the deadline) until released. */
  async function startHeldSweeper(): Promise<{ release: () => void }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firing = new Promise<void>((resolve) => (started = resolve));
    startSweeper({
      intervalMs: 50,
      handler: async (tx, deadline) => {
        await recordFire(tx, deadline);
        started();
        await released;
      },
    });
    await firing;
    return { release };
  }

  test('when a deadline is cancelled while it fires, then the cancel waits for the fire to commit and finds nothing', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'raced', dueInMs: 0 });
    const { release } = await startHeldSweeper();

    const cancelled = deadlines.cancel(db, 'test.fire', 'raced');
    await waitFor(
      async () =>
        (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM%'`)).rowCount === 1,
      { description: 'the cancel to wait on the row lock' },
    );
    release();

    expect(await cancelled).toBe(false);
    expect(await fires()).toEqual([{ key: 'raced', attempts: 0 }]);
  });

  test('when a deadline is cancelled unless held while it fires, then the cancel answers false at once and the fire completes', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'held', dueInMs: 0 });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'free', dueInMs: 600_000 });
    const { release } = await startHeldSweeper();

    expect(await deadlines.cancelUnlessHeld(db, 'test.fire', 'held')).toBe(false);
    expect(await deadlines.cancelUnlessHeld(db, 'test.fire', 'free')).toBe(true);
    release();
    await waitFor(async () => Number((await pool.query(`SELECT count(*) FROM ${SCHEMA}.deadlines`)).rows[0].count) === 0, { description: 'the fired deadline to be removed' });
    expect(await fires()).toEqual([{ key: 'held', attempts: 0 }]);
  });

  test('when a deadline is due later than the sweeper has looked, then it fires at its due time though the interval is long', async () => {
    const live = startSweeper({ intervalMs: 600_000 });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'soon', dueInMs: 500 });
    live.kick();
    await live.settled();
    expect(await fires()).toEqual([]);

    await waitFor(async () => (await fires()).length === 1, { timeoutMs: 5_000, description: 'the deadline to fire' });
    expect(await fires()).toEqual([{ key: 'soon', attempts: 0 }]);
    expect(await row('soon')).toBeUndefined();
  });

  test('when a handler schedules its own deadline again, then the new one survives the sweep and fires in its turn', async () => {
    // A heartbeat's handler moves its own clock on (late → down): the sweep must not delete what it rescheduled.
    const rescheduleOnce: DeadlineHandler<SqlClient> = async (tx, deadline) => {
      await recordFire(tx, deadline);
      if ((await fires()).length === 0) await deadlines.schedule(tx, { kind: 'test.fire', key: deadline.key, dueInMs: 300 });
    };
    startSweeper({ intervalMs: 100, handler: rescheduleOnce });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'again', dueInMs: 0 });

    await waitFor(async () => (await fires()).length === 2, { timeoutMs: 5_000, description: 'the rescheduled deadline to fire' });
    expect(await fires()).toEqual([
      { key: 'again', attempts: 0 },
      { key: 'again', attempts: 0 },
    ]);
    expect(await row('again')).toBeUndefined();
  });

  test('when the sweep interval is shortened by configuration, then a deadline written without a kick fires within it', async () => {
    const live = startSweeper({ intervalMs: 200 });
    await live.settled();

    await deadlines.schedule(db, { kind: 'test.fire', key: 'unannounced', dueInMs: 0 });

    await waitFor(async () => (await fires()).length === 1, { timeoutMs: 5_000, description: 'the sweep on the timer' });
  });

  test('when a handler fails, then its writes roll back, the deadline waits longer after each failure, and it fires once when the handler succeeds', async () => {
    const failing: DeadlineHandler<SqlClient> = async (tx, deadline) => {
      await recordFire(tx, deadline);
      if (deadline.key === 'flaky' && deadline.attempts < 2) throw new Error(`failure ${deadline.attempts + 1}`);
    };
    await deadlines.schedule(db, { kind: 'test.fire', key: 'flaky', dueInMs: 0 });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'neighbour', dueInMs: 0 });
    const due = (await row('flaky'))!.due_at.getTime();
    const flakyAfter = async (failures: number): Promise<Row | undefined> => {
      const current = await row('flaky');
      return current?.attempts === failures ? current : undefined;
    };

    // A long interval: the retries come from the sweeper waking at the next due time.
    startSweeper({ intervalMs: 600_000, handler: failing, retryDelays: { firstMs: 400, maxMs: 10_000 } });
    const first = await waitFor(() => flakyAfter(1), { description: 'the first failure' });
    expect(first).toMatchObject({ attempts: 1, last_error: 'failure 1' });
    expect(first.due_at.getTime() - due).toBeGreaterThanOrEqual(400);
    // The neighbour in the same sweep fired; the failed run's own write did not stay.
    expect(await fires()).toEqual([{ key: 'neighbour', attempts: 0 }]);

    const second = await waitFor(() => flakyAfter(2), { description: 'the second failure' });
    expect(second).toMatchObject({ attempts: 2, last_error: 'failure 2' });
    expect(second.due_at.getTime() - first.due_at.getTime()).toBeGreaterThanOrEqual(800);

    await waitFor(async () => (await row('flaky')) === undefined, { description: 'the third run to succeed' });
    expect(await fires()).toEqual([
      { key: 'flaky', attempts: 2 },
      { key: 'neighbour', attempts: 0 },
    ]);
  });

  test('when a deadline has a kind this sweeper has no handler for, then it leaves it for a sweeper that has', async () => {
    await deadlines.schedule(db, { kind: 'other.kind', key: 'foreign', dueInMs: 0 });
    await deadlines.schedule(db, { kind: 'test.fire', key: 'mine', dueInMs: 0 });
    const live = startSweeper({ intervalMs: 50 });

    await waitFor(async () => (await fires()).length === 1, { description: 'its own deadline to fire' });
    await live.settled();

    expect(await row('foreign')).toMatchObject({ kind: 'other.kind', attempts: 0, last_error: null });
  });
});
