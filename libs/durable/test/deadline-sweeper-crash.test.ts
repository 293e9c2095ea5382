import { isolateTestFile, REPO_ROOT, waitFor, type IsolatedTestFile } from '@pingback/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { defineDeadlines, pgDatabase, type TransactionalDb } from '../src';
import { startFixture, type Child } from './support/child-process';
import { createDurableTables } from './support/durable-models';

/**
 * Real: Postgres (this file's database; the deadlines table made from the README's model) and sweeper processes
 * running the compiled library. Their handler records each fire in `fires` inside the sweep's transaction, with
 * no unique key, so a second fire would show as a second row.
 */
const SCHEMA = 'durable_sweeper_crash';
const KIND = 'test.fire';

const deadlines = defineDeadlines({ schema: SCHEMA });

describe('deadline sweeper processes on one table', () => {
  let infra: IsolatedTestFile;
  let pool: Pool;
  let db: TransactionalDb;
  const children: Child[] = [];

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'libs/durable'], { cwd: REPO_ROOT });
    infra = await isolateTestFile();
    await createDurableTables(infra.databaseUrl, SCHEMA);
    pool = new Pool({ connectionString: infra.databaseUrl, max: 2 });
    db = pgDatabase(pool);
    await pool.query(`CREATE TABLE ${SCHEMA}.fires (kind text NOT NULL, key text NOT NULL, sweeper text NOT NULL)`);
  }, 120_000);

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill9()));
    await pool.query(`TRUNCATE ${SCHEMA}.fires, ${SCHEMA}.deadlines`);
  });

  afterAll(async () => {
    await pool?.end();
    await infra?.cleanup();
  });

  function startSweeper(name: string, extraEnv: Record<string, string> = {}): Child {
    const child = startFixture('sweeper-process.js', {
      DATABASE_URL: infra.databaseUrl,
      SCHEMA,
      SWEEPER: name,
      BATCH_SIZE: '20',
      INTERVAL_MS: '50',
      ...extraEnv,
    });
    children.push(child);
    return child;
  }

  async function scheduleAll(keys: string[], dueInMs: number): Promise<void> {
    await db.$transaction(async (tx) => {
      for (const key of keys) await deadlines.schedule(tx, { kind: KIND, key, dueInMs, payload: { key } });
    });
  }

  const fires = async (): Promise<Array<{ key: string; sweeper: string }>> =>
    (await pool.query<{ key: string; sweeper: string }>(`SELECT key, sweeper FROM ${SCHEMA}.fires ORDER BY key`)).rows;
  const waiting = async (): Promise<number> => Number((await pool.query(`SELECT count(*) FROM ${SCHEMA}.deadlines`)).rows[0].count);
  const keys = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

  test('when a deadline falls due while no sweeper runs, then it fires once after a restart, with two copies running', async () => {
    const before = startSweeper('before');
    await before.waitForLine('ready');
    await scheduleAll(['while-down'], 1_000);
    await before.kill9();
    await waitFor(async () => (await pool.query(`SELECT due_at <= now() AS due FROM ${SCHEMA}.deadlines`)).rows[0]?.due === true, {
      description: 'the deadline to fall due by the database clock',
    });
    expect(await fires()).toEqual([]);

    const copies = [startSweeper('first'), startSweeper('second')];
    await Promise.all(copies.map((copy) => copy.waitForLine('ready')));
    await waitFor(async () => (await waiting()) === 0, { description: 'the deadline to fire' });

    const fired = await fires();
    expect(fired.map((fire) => fire.key)).toEqual(['while-down']);
    expect(['first', 'second']).toContain(fired[0]!.sweeper);
  });

  test('when two sweepers share the table, then each of many due deadlines fires exactly once', async () => {
    const copies = [startSweeper('first'), startSweeper('second')];
    await Promise.all(copies.map((copy) => copy.waitForLine('ready')));
    const all = keys(600, 'shared');
    await scheduleAll(all, 300);

    await waitFor(async () => (await waiting()) === 0, { timeoutMs: 30_000, description: 'every deadline to fire' });

    const fired = await fires();
    expect(fired.map((fire) => fire.key)).toEqual(all);
    const bySweeper = (name: string): number => fired.filter((fire) => fire.sweeper === name).length;
    // Both took part, so the single fires are not just one sweeper doing everything.
    expect(bySweeper('first')).toBeGreaterThan(0);
    expect(bySweeper('second')).toBeGreaterThan(0);
  });

  test('when a sweeper is killed with SIGKILL mid-handler, then the deadlines it held fire once, from the other sweeper', async () => {
    const held = keys(10, 'held');
    const killed = startSweeper('killed', { PAUSE_ON_KEY: held[5]! });
    await killed.waitForLine('ready');
    await scheduleAll(held, 0);
    await killed.waitForLine('paused');

    const survivor = startSweeper('survivor');
    await survivor.waitForLine('ready');
    // The survivor sweeps (it fires a deadline scheduled now) but leaves the ones the paused sweeper holds.
    await scheduleAll(['after-pause'], 0);
    await waitFor(async () => (await fires()).some((fire) => fire.key === 'after-pause'), { description: 'the survivor to sweep' });
    expect((await fires()).map((fire) => fire.key)).toEqual(['after-pause']);
    expect(await waiting()).toBe(held.length);

    await killed.kill9();
    await waitFor(async () => (await waiting()) === 0, { description: 'the held deadlines to fire' });

    const fired = await fires();
    expect(fired.map((fire) => fire.key)).toEqual(['after-pause', ...held]);
    expect(fired.every((fire) => fire.sweeper === 'survivor')).toBe(true);
  });
});
