import type { Broker } from '@pingback/broker';
import { isolateTestFile, REPO_ROOT, waitFor, type IsolatedTestFile } from '@pingback/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { defineOutbox, pgDatabase, type TransactionalDb } from '../src';
import { startFixture, type Child } from './support/child-process';
import { createDurableTables } from './support/durable-models';
import { duplicates, startReceiver, thing } from './support/test-broker';

/**
 * Real: Postgres (this file's database; the outbox table made from the README's model), RabbitMQ (this file's
 * vhost), and two relay processes running the compiled library, one of them killed with SIGKILL mid-round.
 */
const SCHEMA = 'durable_relay_crash';
const ROWS = 2_000;
const BATCH = 100;
// The paused relay stops inside its second round, after publishing this many of that round's rows.
const PUBLISHED_BEFORE_KILL = 30;

const outbox = defineOutbox({ schema: SCHEMA });

describe('two outbox relay processes on one outbox', () => {
  let infra: IsolatedTestFile;
  let pool: Pool;
  let db: TransactionalDb;
  let receiver: { broker: Broker; received: string[] };
  const children: Child[] = [];

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'libs/broker', 'libs/durable'], { cwd: REPO_ROOT });
    infra = await isolateTestFile();
    await createDurableTables(infra.databaseUrl, SCHEMA);
    pool = new Pool({ connectionString: infra.databaseUrl, max: 2 });
    db = pgDatabase(pool);
    receiver = await startReceiver(infra.rabbitUrl);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill9()));
    await receiver?.broker.stop();
    await pool?.end();
    await infra?.cleanup();
  });

  function startRelay(extraEnv: Record<string, string> = {}): Child {
    const child = startFixture('relay-process.js', {
      DATABASE_URL: infra.databaseUrl,
      AMQP_URL: infra.rabbitUrl,
      SCHEMA,
      BATCH_SIZE: String(BATCH),
      INTERVAL_MS: '50',
      ...extraEnv,
    });
    children.push(child);
    return child;
  }

  const publishedBy = (child: Child): string[] =>
    child.lines.filter((line) => line.startsWith('published ')).map((line) => line.slice('published '.length));

  test('when one is killed with SIGKILL mid-round, then every row is published, and only the rows it had published in that round go out twice', async () => {
    const paused = startRelay({ PAUSE_AFTER: String(BATCH + PUBLISHED_BEFORE_KILL) });
    const survivor = startRelay();
    await Promise.all([paused.waitForLine('ready'), survivor.waitForLine('ready')]);
    const rows = Array.from({ length: ROWS }, (_, n) => thing(n));
    await db.$transaction((tx) => outbox.append(tx, rows));

    await paused.waitForLine('paused');
    // The paused relay holds its second round: 30 rows published, 70 not, none deleted. The survivor takes the rest.
    await waitFor(async () => (await outbox.count(db)) === BATCH && new Set(receiver.received).size === ROWS - BATCH + PUBLISHED_BEFORE_KILL, {
      timeoutMs: 30_000,
      description: 'the survivor to publish every row the paused relay does not hold',
    });
    expect(duplicates(receiver.received)).toEqual([]);
    const heldPublished = publishedBy(paused).slice(BATCH);
    expect(heldPublished).toHaveLength(PUBLISHED_BEFORE_KILL);

    await paused.kill9();
    await waitFor(async () => (await outbox.count(db)) === 0, { timeoutMs: 30_000, description: 'the outbox to empty' });
    // One more row behind everything else: once it arrives, so has every earlier publish (one queue, one consumer).
    const last = thing(ROWS);
    await db.$transaction((tx) => outbox.append(tx, [last]));
    await waitFor(() => receiver.received.includes(last.id), { timeoutMs: 30_000, description: 'the last row to arrive' });

    expect(new Set(receiver.received)).toEqual(new Set([...rows, last].map((row) => row.id)));
    expect(duplicates(receiver.received).sort()).toEqual([...heldPublished].sort());
    expect(receiver.received).toHaveLength(ROWS + 1 + PUBLISHED_BEFORE_KILL);
  });
});
