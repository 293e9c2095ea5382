import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { waitFor } from '@pingback/testing';
import { isInfrastructureError } from '../src/db-errors';
import { generatePrismaClient } from '../src/generate-client';
import { createPrismaClient, type PoolSettings, type PrismaClientClass } from '../src/prisma-client';
import { ADMIN_URL, createScratchDatabase, withPg, type ScratchDatabase } from './db-test-helpers';

// Real: `prisma generate` for this file's own fixture service, its generated client on createPrismaClient's pg
// pool, a scratch Postgres database, and loopback TCP listeners standing in for a Postgres that is down.

const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'pool-service');
const SCHEMA = 'pool';

interface Tally {
  id: string;
  key: string;
  count: number;
}

interface TallyTx {
  tally: {
    create(args: { data: { id: string; key: string } }): Promise<Tally>;
    update(args: { where: { key: string }; data: { count: { increment: number } } }): Promise<Tally>;
    findMany(): Promise<Tally[]>;
  };
  $queryRawUnsafe(sql: string): Promise<unknown>;
  $executeRawUnsafe(sql: string): Promise<number>;
}

interface TallyClient extends TallyTx {
  $transaction<R>(fn: (tx: TallyTx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
  $transaction<R>(queries: Array<Promise<R>>): Promise<R[]>;
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
}

/** How a call ended and how long it took. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const started = performance.now();
  try {
    await call();
    return { ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; fire(): void } {
  let fire = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

/** A TCP listener on loopback that accepts every connection and never says a word (a Postgres that hangs). */
async function startBlackhole(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function unusedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('createPrismaClient pool settings', () => {
  let db: ScratchDatabase;
  let PrismaClient: PrismaClientClass<TallyClient>;
  const clients: TallyClient[] = [];

  beforeAll(async () => {
    await generatePrismaClient(FIXTURE_DIR);
    ({ PrismaClient } = (await import(path.join(FIXTURE_DIR, 'src', 'generated', 'prisma', 'client'))) as { PrismaClient: PrismaClientClass<TallyClient> });
    db = await createScratchDatabase();
    await withPg(db.url, async (pg) => {
      await pg.query(`CREATE SCHEMA ${SCHEMA}`);
      await pg.query(`CREATE TABLE ${SCHEMA}.tallies (id uuid PRIMARY KEY, key text NOT NULL UNIQUE, count integer NOT NULL DEFAULT 0)`);
    });
  }, 120_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.$disconnect()));
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function connect(pool: Partial<PoolSettings>, options: { url?: string; onCommit?: () => void } = {}): Promise<TallyClient> {
    const client = createPrismaClient(PrismaClient, {
      connectionString: options.url ?? db.url,
      schema: SCHEMA,
      pool,
      ...(options.onCommit ? { onCommit: options.onCommit } : {}),
    });
    clients.push(client);
    // Loads the query compiler, so the timings below measure the pool and not the first start.
    await client.$connect();
    return client;
  }

  /** Holds `client`'s connection in an open transaction until `release` fires; resolves once it holds it. */
  async function holdConnection(client: TallyClient, release: Promise<void>): Promise<{ done: Promise<void> }> {
    const holding = signal();
    const done = client.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe('SELECT 1');
        holding.fire();
        await release;
      },
      { timeout: 30_000 },
    );
    await Promise.race([holding.promise, done]);
    return { done };
  }

  describe('Postgres busy: every connection of a full pool in use', () => {
    // Longer than the connect time-out and than Prisma's own default wait to start a transaction (2 s).
    const HOLD_MS = 2_500;

    test('when the only connection is held longer than the connect time-out, then a query and a transaction wait for it and succeed', async () => {
      const client = await connect({ size: 1, waitMs: 5_000, connectTimeoutMs: 300 });
      const release = signal();
      const holder = await holdConnection(client, release.promise);
      const releaseTimer = setTimeout(release.fire, HOLD_MS);

      try {
        const [query, transaction] = await Promise.all([
          timed(() => client.tally.findMany()),
          timed(() => client.$transaction(async (tx) => tx.tally.findMany())),
        ]);

        expect(query.error).toBeUndefined();
        expect(transaction.error).toBeUndefined();
        expect(query.ms).toBeGreaterThan(HOLD_MS - 500);
        expect(transaction.ms).toBeGreaterThan(HOLD_MS - 500);
      } finally {
        clearTimeout(releaseTimer);
        release.fire();
        await holder.done;
      }
    });

    test('when the wait for a free connection outlives waitMs, then the query and the transaction fail as infrastructure errors', async () => {
      const client = await connect({ size: 1, waitMs: 300, connectTimeoutMs: 300 });
      const release = signal();
      const holder = await holdConnection(client, release.promise);

      try {
        const [query, transaction] = await Promise.all([
          timed(() => client.tally.findMany()),
          timed(() => client.$transaction(async (tx) => tx.tally.findMany())),
        ]);

        for (const outcome of [query, transaction]) {
          expect(isInfrastructureError(outcome.error)).toBe(true);
          expect(outcome.ms).toBeGreaterThanOrEqual(250);
          expect(outcome.ms).toBeLessThan(HOLD_MS);
        }
      } finally {
        release.fire();
        await holder.done;
      }
      // The pool is whole again once the connection is back.
      await expect(client.tally.findMany()).resolves.toEqual(expect.any(Array));
    });

    test('when a transaction asks for a shorter maxWait than the pool, then running out of it is an infrastructure error too', async () => {
      const client = await connect({ size: 1, waitMs: 5_000, connectTimeoutMs: 300 });
      const release = signal();
      const holder = await holdConnection(client, release.promise);

      try {
        const outcome = await timed(() => client.$transaction(async (tx) => tx.tally.findMany(), { maxWait: 200 }));

        expect(outcome.error).toBeDefined();
        expect(isInfrastructureError(outcome.error)).toBe(true);
      } finally {
        release.fire();
        await holder.done;
      }
    });
  });

  describe('Postgres down', () => {
    test('when the server accepts the connection and never answers, then the first query gives it the wait (busy?), and once that failed the next fails within the connect time-out (down)', async () => {
      const blackhole = await startBlackhole();
      try {
        const client = await connect({ waitMs: 2_000, connectTimeoutMs: 300, warm: 0 }, { url: `postgresql://pingback:pingback@127.0.0.1:${blackhole.port}/nowhere` });

        const first = await timed(() => client.tally.findMany());
        const next = await timed(() => client.tally.findMany());

        expect(blackhole.accepted()).toBeGreaterThanOrEqual(2);
        expect(isInfrastructureError(first.error)).toBe(true);
        expect(first.ms).toBeGreaterThanOrEqual(1_900);
        expect(isInfrastructureError(next.error)).toBe(true);
        expect(next.ms).toBeGreaterThanOrEqual(250);
        expect(next.ms).toBeLessThan(1_500);
      } finally {
        await blackhole.close();
      }
    });

    test('when nothing listens on the port, then a query fails at once as an infrastructure error', async () => {
      const port = await unusedLoopbackPort();
      const client = await connect({ waitMs: 10_000, connectTimeoutMs: 3_000 }, { url: `postgresql://pingback:pingback@127.0.0.1:${port}/nowhere` });

      const outcome = await timed(() => client.tally.findMany());

      expect(isInfrastructureError(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(1_000);
    });
  });

  describe('onCommit', () => {
    let commits = 0;
    let client: TallyClient;
    const key = (): string => `tally-${randomUUID()}`;
    const tally = (tx: TallyTx, k = key()) => tx.tally.create({ data: { id: randomUUID(), key: k } });

    beforeEach(async () => {
      commits = 0;
      client = await connect({ size: 2 }, { onCommit: () => (commits += 1) });
    });

    /** Commits counted while `work` ran. */
    async function commitsOf(work: () => Promise<unknown>): Promise<number> {
      const before = commits;
      await work();
      return commits - before;
    }

    test('when one row is created, then one commit is counted', async () => {
      expect(await commitsOf(() => tally(client))).toBe(1);
    });

    test('when a row is updated and a raw UPDATE runs outside a transaction, then each is one commit', async () => {
      const k = key();
      await tally(client, k);

      expect(await commitsOf(() => client.tally.update({ where: { key: k }, data: { count: { increment: 1 } } }))).toBe(1);
      expect(await commitsOf(() => client.$executeRawUnsafe(`UPDATE ${SCHEMA}.tallies SET count = count + 1 WHERE key = '${k}'`))).toBe(1);
    });

    test('when a WITH statement writes in its CTE, then it is one commit, and a WITH that only reads is none', async () => {
      const k = key();
      await tally(client, k);

      const written = await commitsOf(() =>
        client.$queryRawUnsafe(`WITH bumped AS (UPDATE ${SCHEMA}.tallies SET count = count + 1 WHERE key = '${k}' RETURNING count) SELECT count FROM bumped`),
      );
      const read = await commitsOf(() => client.$queryRawUnsafe(`WITH t AS (SELECT count FROM ${SCHEMA}.tallies WHERE key = '${k}') SELECT count FROM t`));

      expect(written).toBe(1);
      expect(read).toBe(0);
    });

    test('when a batch transaction writes two rows, then one commit is counted', async () => {
      expect(await commitsOf(() => client.$transaction([tally(client), tally(client)]))).toBe(1);
    });

    test('when an interactive transaction writes two rows, then one commit is counted', async () => {
      expect(await commitsOf(() => client.$transaction(async (tx) => [await tally(tx), await tally(tx)]))).toBe(1);
    });

    test('when rows are only read, then no commit is counted', async () => {
      await tally(client);

      expect(await commitsOf(() => client.tally.findMany())).toBe(0);
      expect(await commitsOf(() => client.$queryRawUnsafe(`SELECT count(*) FROM ${SCHEMA}.tallies`))).toBe(0);
    });

    test('when an interactive transaction is rolled back, then no commit is counted and its row is gone', async () => {
      const k = key();
      const rolledBack = await commitsOf(() =>
        client
          .$transaction(async (tx) => {
            await tally(tx, k);
            throw new Error('changed my mind');
          })
          .catch((error: unknown) => error),
      );

      expect(rolledBack).toBe(0);
      expect((await client.tally.findMany()).map((row) => row.key)).not.toContain(k);
    });

    test('when a savepoint is rolled back inside a transaction that commits, then one commit is counted', async () => {
      const [kept, undone] = [key(), key()];
      const counted = await commitsOf(() =>
        client.$transaction(async (tx) => {
          await tally(tx, kept);
          await tx.$executeRawUnsafe('SAVEPOINT before_undone');
          await tally(tx, undone);
          await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT before_undone');
          // Still inside the transaction: this write is part of its one commit.
          await tx.tally.update({ where: { key: kept }, data: { count: { increment: 1 } } });
        }),
      );

      expect(counted).toBe(1);
      const keys = (await client.tally.findMany()).map((row) => row.key);
      expect(keys).toContain(kept);
      expect(keys).not.toContain(undone);
    });
  });

  describe('warm connections', () => {
    const APP = `pool_warm_${randomUUID().slice(0, 8)}`;

    /** Connections open to this file's database under this test's application name. */
    async function openConnections(): Promise<number> {
      const result = await withPg(ADMIN_URL, (pg) =>
        pg.query<{ open: number }>('SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [db.name, APP]),
      );
      return result.rows[0]?.open ?? 0;
    }

    test('when a pool of three sits idle for longer than idleMs, then it closes down to its one warm connection and keeps it', async () => {
      const IDLE_MS = 200;
      const url = new URL(db.url);
      url.searchParams.set('application_name', APP);
      const client = await connect({ size: 3, warm: 1, idleMs: IDLE_MS }, { url: url.toString() });

      // Three transactions that each wait for the other two: the pool must open all three connections.
      const started: Array<() => void> = [];
      const allStarted = new Promise<void>((resolve) => {
        const fired = new Set<number>();
        for (let i = 0; i < 3; i++) started.push(() => fired.add(i).size === 3 && resolve());
      });
      await Promise.all(
        started.map((fire) =>
          client.$transaction(async (tx) => {
            await tx.$queryRawUnsafe('SELECT 1');
            fire();
            await allStarted;
          }),
        ),
      );
      expect(await openConnections()).toBe(3);

      await waitFor(async () => (await openConnections()) === 1, { timeoutMs: 5_000, description: 'the pool to close its idle connections' });
      // Outlive the idle time-out a few times over: the warm connection is not closed later on.
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
      expect(await openConnections()).toBe(1);
      await expect(client.tally.findMany()).resolves.toEqual(expect.any(Array));
      expect(await openConnections()).toBe(1);
    });
  });
});
