import { createBroker, type Broker } from '@pingback/broker';
import { createPrismaClient, findRepoRoot, generatePrismaClient, listPrismaServices, type PrismaClientClass } from '@pingback/db';
import { isolateTestFile, waitFor, type IsolatedTestFile } from '@pingback/testing';
import fs from 'node:fs';
import path from 'node:path';
import {
  createDeadlineSweeper,
  createOutboxRelay,
  defineDeadlines,
  defineOutbox,
  type DeadlineSweeper,
  type TransactionalDb,
  type TransactionOptions,
} from '../src';
import { createDurableTables, modelIn, readmeModels } from './support/durable-models';
import { publisherTopology, publishRow, startReceiver, testLogger, thing } from './support/test-broker';

/**
 * Real: `prisma generate` for a fixture service whose schema copied the README's models, its generated client on
 * @prisma/adapter-pg (as every service makes it), Postgres (this file's database) and RabbitMQ (this file's vhost).
 */
const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'prisma-service');
const FIXTURE_SCHEMA_FILE = path.join(FIXTURE_DIR, 'prisma', 'schema.prisma');
const SCHEMA = 'durable_prisma';

/** The part of the fixture's generated client this test uses. */
interface FixtureTx {
  fire: { create(args: { data: { key: string } }): Promise<unknown>; findMany(args: { orderBy: { key: 'asc' } }): Promise<Array<{ key: string }>> };
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}
interface FixtureClient extends FixtureTx {
  $transaction<R>(fn: (tx: FixtureTx) => Promise<R>, options?: TransactionOptions): Promise<R>;
  $disconnect(): Promise<void>;
}

const outbox = defineOutbox({ schema: SCHEMA });
const deadlines = defineDeadlines({ schema: SCHEMA });

describe('libs/durable on a generated Prisma client', () => {
  let infra: IsolatedTestFile;
  let PrismaClient: PrismaClientClass<FixtureClient>;
  let clients: FixtureClient[];
  let db: FixtureClient;
  let sweepers: DeadlineSweeper[] = [];

  beforeAll(async () => {
    await generatePrismaClient(FIXTURE_DIR);
    ({ PrismaClient } = (await import(path.join(FIXTURE_DIR, 'src', 'generated', 'prisma', 'client'))) as { PrismaClient: PrismaClientClass<FixtureClient> });
    infra = await isolateTestFile();
    await createDurableTables(infra.databaseUrl, SCHEMA, modelIn(fs.readFileSync(FIXTURE_SCHEMA_FILE, 'utf8'), 'Fire'));
    clients = [0, 1].map(() => createPrismaClient(PrismaClient, { connectionString: infra.databaseUrl, schema: SCHEMA, pool: { size: 4 } }));
    db = clients[0]!;
  }, 120_000);

  afterEach(async () => {
    await Promise.all(sweepers.map((sweeper) => sweeper.stop()));
    sweepers = [];
    await db.$executeRawUnsafe(`TRUNCATE "${SCHEMA}".fires, "${SCHEMA}".deadlines, "${SCHEMA}".outbox`);
  });

  afterAll(async () => {
    await Promise.all((clients ?? []).map((client) => client.$disconnect()));
    await infra?.cleanup();
  });

  function startSweeper(
    client: FixtureClient,
    handler: (tx: FixtureTx, key: string, attempts: number) => Promise<void>,
    transactionTimeoutMs?: number,
  ): DeadlineSweeper {
    const sweeper = createDeadlineSweeper({
      db: client satisfies TransactionalDb<FixtureTx>,
      deadlines,
      logger: testLogger(),
      intervalMs: 50,
      batchSize: 10,
      retryDelays: { firstMs: 200, maxMs: 200 },
      ...(transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs }),
      handlers: { 'test.fire': (tx, deadline) => handler(tx, deadline.key, deadline.attempts) },
    });
    sweeper.start();
    sweepers.push(sweeper);
    return sweeper;
  }

  const firedKeys = async (): Promise<string[]> => (await db.fire.findMany({ orderBy: { key: 'asc' } })).map((fire) => fire.key);
  const waiting = async (): Promise<number> =>
    (await db.$queryRawUnsafe<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM "${SCHEMA}".deadlines`))[0]!.count;

  test('when a service copied the README models, then its schema declares them exactly', () => {
    const expected = readmeModels();
    const schemaFiles = [...listPrismaServices(findRepoRoot()).map((service) => service.schemaFile), FIXTURE_SCHEMA_FILE];
    const declaring = schemaFiles.filter((file) => /@@map\("(outbox|deadlines)"\)/.test(fs.readFileSync(file, 'utf8')));
    expect(declaring).toContain(FIXTURE_SCHEMA_FILE);

    for (const file of declaring) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('@@map("outbox")')) expect({ file, model: modelIn(text, 'OutboxMessage') }).toEqual({ file, model: expected.OutboxMessage });
      if (text.includes('@@map("deadlines")')) expect({ file, model: modelIn(text, 'Deadline') }).toEqual({ file, model: expected.Deadline });
    }
  });

  test('when rows are appended in a Prisma transaction, then the relay on the Prisma client publishes each once', async () => {
    const receiver = await startReceiver(infra.rabbitUrl);
    const publisher: Broker = createBroker({ url: infra.rabbitUrl, topology: publisherTopology, logger: testLogger() });
    await publisher.start();
    const relay = createOutboxRelay({
      db,
      outbox,
      logger: testLogger(),
      intervalMs: 60_000,
      batchSize: 4,
      publish: publishRow(publisher),
    });
    try {
      relay.start();
      const rows = Array.from({ length: 10 }, (_, n) => thing(n));
      await db.$transaction(async (tx) => {
        await tx.fire.create({ data: { key: 'written-with-the-rows' } });
        await outbox.append(tx, rows);
      });
      relay.kick();

      await waitFor(() => receiver.received.length >= rows.length, { description: 'every row to arrive' });
      await relay.settled();
      expect([...receiver.received].sort()).toEqual(rows.map((row) => row.id).sort());
      expect(await outbox.count(db)).toBe(0);
    } finally {
      await relay.stop();
      await publisher.stop();
      await receiver.broker.stop();
    }
  });

  test('when a handler writes through the typed transaction client, then its write and the deadline commit together, once', async () => {
    await deadlines.schedule(db, { kind: 'test.fire', key: 'typed', dueInMs: 0 });

    startSweeper(db, async (tx, key) => {
      await tx.fire.create({ data: { key } });
    });

    await waitFor(async () => (await waiting()) === 0, { description: 'the deadline to fire' });
    expect(await firedKeys()).toEqual(['typed']);
  });

  test('when a handler query fails inside the Prisma transaction, then the savepoint undoes its writes and the rest of the sweep commits', async () => {
    await db.fire.create({ data: { key: 'taken' } });
    await db.$transaction(async (tx) => {
      for (const key of ['a-before', 'b-clash', 'c-after']) await deadlines.schedule(tx, { kind: 'test.fire', key, dueInMs: 0 });
    });

    startSweeper(db, async (tx, key, attempts) => {
      await tx.fire.create({ data: { key } });
      // A unique violation on the first run of b-clash: Postgres aborts the statement, the savepoint saves the sweep.
      if (key === 'b-clash' && attempts === 0) await tx.fire.create({ data: { key: 'taken' } });
    });

    await waitFor(async () => (await waiting()) === 0, { description: 'every deadline to fire' });
    expect(await firedKeys()).toEqual(['a-before', 'b-clash', 'c-after', 'taken']);
  });

  test('when a handler outlives the sweep\'s transaction, then its deadline is postponed on its own and the whole sweep fires once later', async () => {
    await db.$transaction(async (tx) => {
      for (const key of ['first', 'slow', 'last']) await deadlines.schedule(tx, { kind: 'test.fire', key, dueInMs: 0 });
    });
    const slowRuns: number[] = [];

    startSweeper(
      db,
      async (tx, key, attempts) => {
        if (key === 'slow') slowRuns.push(attempts);
        // The slowness under test: the first run of "slow" takes longer than the transaction may.
        if (key === 'slow' && attempts === 0) await new Promise((resolve) => setTimeout(resolve, 1_500));
        await tx.fire.create({ data: { key } });
      },
      500,
    );

    await waitFor(async () => (await waiting()) === 0, { description: 'every deadline to fire' });
    expect(await firedKeys()).toEqual(['first', 'last', 'slow']);
    expect(slowRuns).toEqual([0, 1]);
  });

  test('when two Prisma clients sweep one table, then each deadline fires exactly once', async () => {
    const keys = Array.from({ length: 200 }, (_, n) => `k-${String(n).padStart(3, '0')}`);
    const firedBy: Record<string, number> = { first: 0, second: 0 };
    const handler = (name: string) => async (tx: FixtureTx, key: string) => {
      await tx.fire.create({ data: { key } });
      firedBy[name]! += 1;
    };
    startSweeper(clients[0]!, handler('first'));
    startSweeper(clients[1]!, handler('second'));

    await db.$transaction(async (tx) => {
      for (const key of keys) await deadlines.schedule(tx, { kind: 'test.fire', key, dueInMs: 200 });
    });

    // fires.key is unique: a second fire of one deadline would fail its handler and leave that deadline waiting.
    await waitFor(async () => (await waiting()) === 0, { timeoutMs: 30_000, description: 'every deadline to fire' });
    expect(await firedKeys()).toEqual(keys);
    expect(firedBy.first! + firedBy.second!).toBe(keys.length);
  });
});
