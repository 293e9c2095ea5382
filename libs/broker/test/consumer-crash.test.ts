import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { type Broker, createBroker } from '../src';
import { singleQueue, testLogger, thing, waitFor } from './support/helpers';

/**
 * Real RabbitMQ (own vhost) and Postgres (own schema); the consumers are separate node processes running the
 * compiled library, so one can be killed with SIGKILL while it holds unacked messages.
 */
const REPO = join(__dirname, '..', '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'slow-consumer.js');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://pingback:pingback@127.0.0.1:5432/pingback';
const QUEUE = 'broker-test:thing:crash';
const MESSAGES = 40;
/** As the fixture declares it. */
const crashQueue = singleQueue(QUEUE, 'test.thing.crash', [200], { prefetch: 8 });

describe('a consumer process killed with unacked messages', () => {
  let vhost: IsolatedVhost;
  let pool: Pool;
  let publisher: Broker;
  const schema = `broker_crash_${randomUUID().slice(0, 8)}`;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'libs/broker'], { cwd: REPO });
    vhost = await createIsolatedVhost();
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.deliveries (envelope_id text NOT NULL, worker text NOT NULL)`);
    await pool.query(`CREATE TABLE ${schema}.processed (envelope_id text PRIMARY KEY, worker text NOT NULL)`);
    await pool.query(`CREATE TABLE ${schema}.effects (id int PRIMARY KEY, total int NOT NULL)`);
    await pool.query(`INSERT INTO ${schema}.effects VALUES (1, 0)`);
    publisher = createBroker({ url: vhost.url, topology: crashQueue.topology, logger: testLogger() });
    await publisher.start();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await publisher?.stop();
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool?.end();
    await vhost?.delete();
  });

  function startConsumer(worker: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [FIXTURE], {
      cwd: REPO,
      env: { ...process.env, AMQP_URL: vhost.url, DATABASE_URL, SCHEMA: schema, QUEUE, WORKER: worker, HANDLER_MS: '300' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`consumer ${worker} exited with ${code}`)));
    });
  }

  const count = async (sql: string): Promise<number> => Number((await pool.query(sql)).rows[0].count);

  it('when it is killed mid-flight and another one starts, then every message is processed and no side effect happens twice', async () => {
    const sent = Array.from({ length: MESSAGES }, (_, n) => thing(n));
    for (const message of sent) await publisher.publishEnvelope(crashQueue.publication, message);

    const first = await startConsumer('first');
    await waitFor('the first consumer has finished some messages and holds others', async () =>
      (await count(`SELECT count(*) FROM ${schema}.processed`)) >= 8,
    );
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    const processedByFirst = await count(`SELECT count(*) FROM ${schema}.processed`);
    expect(processedByFirst).toBeLessThan(MESSAGES);

    await startConsumer('second');
    await waitFor(
      'every message is processed',
      async () => (await count(`SELECT count(*) FROM ${schema}.processed`)) === MESSAGES,
      30_000,
    );

    const processed = await pool.query(`SELECT envelope_id FROM ${schema}.processed`);
    expect(processed.rows.map((row: { envelope_id: string }) => row.envelope_id).sort()).toEqual(sent.map((m) => m.id).sort());
    const effects = await pool.query(`SELECT total FROM ${schema}.effects WHERE id = 1`);
    expect(effects.rows[0].total).toBe(MESSAGES);
    // The kill landed mid-flight: messages the first consumer held were delivered again to the second.
    const redelivered = await count(
      `SELECT count(*) FROM (SELECT envelope_id FROM ${schema}.deliveries GROUP BY envelope_id HAVING count(*) > 1) twice`,
    );
    expect(redelivered).toBeGreaterThan(0);
  });
});
