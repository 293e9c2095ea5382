import net from 'node:net';
import path from 'node:path';
import { isInfrastructureError, isUniqueViolation } from '../src/db-errors';
import { generatePrismaClient } from '../src/generate-client';
import { makeMigration } from '../src/make-migration';
import { applyMigrations } from '../src/migrate';
import { prismaDatabase } from '../src/database-handle';
import { createPrismaClient, type PrismaClientClass } from '../src/prisma-client';
import {
  ADMIN_URL,
  copyFixtureService,
  createScratchDatabase,
  FIXTURE_SERVICE_DIR,
  withPg,
  type ScratchDatabase,
} from './db-test-helpers';

// Real: `prisma generate` (offline, stub schema engine) for the fixture service, its generated client, and a fresh
// Postgres database migrated with the runner.
interface Widget {
  id: string;
  key: string;
  label: string;
  createdAt: Date;
}

interface FixtureClient {
  widget: {
    create(args: { data: { key: string; label: string } }): Promise<Widget>;
    findUniqueOrThrow(args: { where: { key: string } }): Promise<Widget>;
    findMany(): Promise<Widget[]>;
  };
  $queryRawUnsafe(sql: string): Promise<unknown>;
  $disconnect(): Promise<void>;
}

function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
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

describe('createPrismaClient on a generated client', () => {
  const schema = 'fixture';
  let db: ScratchDatabase;
  let PrismaClient: PrismaClientClass<FixtureClient>;
  let client: FixtureClient;
  let generateOutput: string;

  beforeAll(async () => {
    ({ output: generateOutput } = await generatePrismaClient(FIXTURE_SERVICE_DIR));
    const generated = path.join(FIXTURE_SERVICE_DIR, 'src', 'generated', 'prisma', 'client');
    ({ PrismaClient } = (await import(generated)) as { PrismaClient: PrismaClientClass<FixtureClient> });

    const service = copyFixtureService();
    try {
      await makeMigration({ serviceDir: service.dir, name: 'init' });
      db = await createScratchDatabase();
      await applyMigrations({ connectionString: db.url, schema, migrationsDir: service.migrationsDir });
    } finally {
      service.remove();
    }
    client = createPrismaClient(PrismaClient, { connectionString: db.url, schema, pool: { size: 2 } });
  });

  afterAll(async () => {
    await client?.$disconnect();
    await db?.drop();
  });

  test('when prisma generate runs with the stub schema engine, then it generates the client without downloading', () => {
    expect(generateOutput).toMatch(/Generated Prisma Client \(7\.10\.0\) to \.\/src\/generated\/prisma/);
    expect(generateOutput).not.toMatch(/binaries\.prisma\.sh|download/i);
  });

  test('when a row is inserted, then it is read back, and it lives in the service schema', async () => {
    const created = await client.widget.create({ data: { key: 'first', label: 'First' } });

    const read = await client.widget.findUniqueOrThrow({ where: { key: 'first' } });

    expect(read).toEqual(created);
    const rows = await withPg(db.url, (pg) => pg.query('SELECT key FROM fixture.widgets WHERE id = $1', [created.id]));
    expect(rows.rows).toEqual([{ key: 'first' }]);
  });

  test('when the same unique key is inserted twice, then isUniqueViolation names the constraint and it is no infrastructure error', async () => {
    await client.widget.create({ data: { key: 'twice', label: 'One' } });

    const error = await caught(client.widget.create({ data: { key: 'twice', label: 'Two' } }));

    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'widgets_key_key')).toBe(true);
    expect(isUniqueViolation(error, 'widgets_pkey')).toBe(false);
    expect(isInfrastructureError(error)).toBe(false);
  });

  test('when pg itself reports a duplicate key, then isUniqueViolation reads its constraint too', async () => {
    const error = await caught(
      withPg(db.url, (pg) =>
        pg.query(`INSERT INTO fixture.widgets (id, key, label) VALUES (gen_random_uuid(), 'first', 'x'), (gen_random_uuid(), 'first', 'y')`),
      ),
    );

    expect(isUniqueViolation(error, 'widgets_key_key')).toBe(true);
    expect(isInfrastructureError(error)).toBe(false);
  });

  test('when the database server cannot be reached, then the error is an infrastructure error', async () => {
    const port = await unusedLoopbackPort();
    const unreachable = createPrismaClient(PrismaClient, {
      connectionString: `postgresql://pingback:pingback@127.0.0.1:${port}/nowhere`,
      schema,
    });
    try {
      const error = await caught(unreachable.widget.findMany());

      expect(isInfrastructureError(error)).toBe(true);
      expect(isUniqueViolation(error)).toBe(false);
    } finally {
      await unreachable.$disconnect();
    }
  });

  test('when the server terminates the connection in the middle of a query, then the error is an infrastructure error', async () => {
    const sleeping = caught(client.$queryRawUnsafe('SELECT pg_sleep(30) AS pingback_db_test_sleep'));
    const pid = await waitFor(async () => {
      const result = await withPg(ADMIN_URL, (pg) =>
        pg.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%pingback_db_test_sleep%' AND pid <> pg_backend_pid()`,
          [db.name],
        ),
      );
      return result.rows[0]?.pid;
    });
    await withPg(ADMIN_URL, (pg) => pg.query('SELECT pg_terminate_backend($1)', [pid]));

    const error = await sleeping;

    expect(isInfrastructureError(error)).toBe(true);
    expect(isUniqueViolation(error)).toBe(false);
  });

  test('when every pooled connection is busy, then the readiness ping still answers ready, without queueing behind the work', async () => {
    const busy = createPrismaClient(PrismaClient, { connectionString: db.url, schema, pool: { size: 1, warm: 1 } });
    try {
      let sleepEnded = false;
      const sleeping = busy.$queryRawUnsafe('SELECT pg_sleep(3)::text AS pingback_db_busy_sleep').finally(() => {
        sleepEnded = true;
      });
      await waitFor(async () => {
        const result = await withPg(ADMIN_URL, (pg) =>
          pg.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%pingback_db_busy_sleep%' AND pid <> pg_backend_pid()`, [
            db.name,
          ]),
        );
        return result.rowCount ? true : undefined;
      });

      const ready = await prismaDatabase(busy).ping();

      expect(ready).toBe(true);
      expect(sleepEnded).toBe(false);
      await sleeping;
    } finally {
      await busy.$disconnect();
    }
  });

  test('when the database server cannot be reached, then the readiness ping fails', async () => {
    const port = await unusedLoopbackPort();
    const unreachable = createPrismaClient(PrismaClient, {
      connectionString: `postgresql://pingback:pingback@127.0.0.1:${port}/nowhere`,
      schema,
      pool: { warm: 0 },
    });
    try {
      await expect(prismaDatabase(unreachable).ping()).rejects.toThrow();
    } finally {
      await unreachable.$disconnect();
    }
  });

  test('when a domain error or a plain value is thrown, then neither check claims it', () => {
    expect(isInfrastructureError(new Error('widget not found'))).toBe(false);
    expect(isUniqueViolation(new Error('widget not found'))).toBe(false);
    expect(isInfrastructureError(undefined)).toBe(false);
    expect(isUniqueViolation('P2002')).toBe(false);
  });
});
