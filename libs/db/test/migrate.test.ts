import fs from 'node:fs';
import path from 'node:path';
import { makeMigration } from '../src/make-migration';
import { applyMigrations, MigrationEditedError } from '../src/migrate';
import { sha256Hex } from '../src/migration-files';
import {
  addWidgetField,
  copyFixtureService,
  createScratchDatabase,
  withPg,
  type ScratchDatabase,
} from './db-test-helpers';

// Real: Postgres (a fresh database per test) and migration SQL made by Prisma's schema engine from the fixture.
describe('applyMigrations', () => {
  const schema = 'fixture';
  let db: ScratchDatabase;
  let service: ReturnType<typeof copyFixtureService>;

  const apply = () => applyMigrations({ connectionString: db.url, schema, migrationsDir: service.migrationsDir });

  const history = () =>
    withPg(db.url, async (client) => {
      const result = await client.query<{
        migration_name: string;
        checksum: string;
        applied_steps_count: number;
        finished_at: Date | null;
        started_at: Date;
      }>(
        `SELECT migration_name, checksum, applied_steps_count, finished_at, started_at
           FROM fixture._prisma_migrations ORDER BY migration_name`,
      );
      return result.rows;
    });

  const columnsOf = (table: string) =>
    withPg(db.url, async (client) => {
      const result = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, table],
      );
      return result.rows.map((row) => row.column_name);
    });

  beforeEach(async () => {
    db = await createScratchDatabase();
    service = copyFixtureService();
    await makeMigration({ serviceDir: service.dir, name: 'init', now: () => new Date('2026-11-23T10:00:00Z') });
  });

  afterEach(async () => {
    service.remove();
    await db.drop();
  });

  test('when migrations are applied to a fresh database, then the tables sit in the service schema and the history reads as Prisma writes it', async () => {
    const result = await apply();

    expect(result).toEqual({ applied: ['20261123100000_init'], total: 1 });
    expect(await columnsOf('widgets')).toEqual(['created_at', 'id', 'key', 'label']);
    const sql = fs.readFileSync(path.join(service.migrationsDir, '20261123100000_init', 'migration.sql'));
    const [row] = await history();
    expect(row).toMatchObject({ migration_name: '20261123100000_init', checksum: sha256Hex(sql), applied_steps_count: 1 });
    expect(row?.finished_at).toBeInstanceOf(Date);
    expect(row!.finished_at!.getTime()).toBeGreaterThanOrEqual(row!.started_at.getTime());
    const publicTables = await withPg(db.url, (client) =>
      client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`),
    );
    expect(publicTables.rowCount).toBe(0);
  });

  test('when the same migrations are applied again, then nothing changes', async () => {
    await apply();
    const before = await history();

    const again = await apply();

    expect(again).toEqual({ applied: [], total: 1 });
    expect(await history()).toEqual(before);
  });

  test('when a new migration is added, then only that one is applied', async () => {
    await apply();
    addWidgetField(service.schemaFile, 'color String?');
    await makeMigration({ serviceDir: service.dir, name: 'add color', now: () => new Date('2026-11-23T11:00:00Z') });

    const result = await apply();

    expect(result).toEqual({ applied: ['20261123110000_add_color'], total: 2 });
    expect(await columnsOf('widgets')).toContain('color');
    expect((await history()).map((row) => row.migration_name)).toEqual(['20261123100000_init', '20261123110000_add_color']);
  });

  test('when an applied migration file was edited, then it refuses and applies nothing, not even pending ones', async () => {
    await apply();
    fs.appendFileSync(path.join(service.migrationsDir, '20261123100000_init', 'migration.sql'), '\n-- edited\n');
    addWidgetField(service.schemaFile, 'color String?');
    await makeMigration({ serviceDir: service.dir, name: 'add color', now: () => new Date('2026-11-23T11:00:00Z') });

    const attempt = apply();

    await expect(attempt).rejects.toBeInstanceOf(MigrationEditedError);
    await expect(attempt).rejects.toThrow(/20261123100000_init was edited after it was applied to schema "fixture"/);
    expect(await columnsOf('widgets')).not.toContain('color');
    expect(await history()).toHaveLength(1);
  });

  test('when one pending migration fails, then none of the pending ones is applied', async () => {
    addWidgetField(service.schemaFile, 'color String?');
    await makeMigration({ serviceDir: service.dir, name: 'add color', now: () => new Date('2026-11-23T11:00:00Z') });
    const broken = path.join(service.migrationsDir, '20261123120000_broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'migration.sql'), 'ALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;\n');

    await expect(apply()).rejects.toThrow(/migration 20261123120000_broken failed in schema "fixture": .*no_such_table/);

    expect(await columnsOf('widgets')).toEqual([]);
  });

  test('when a migration carries its own BEGIN/COMMIT (as Prisma writes enum changes), then a later failure still rolls it back', async () => {
    const own = path.join(service.migrationsDir, '20261123110000_own_transaction');
    fs.mkdirSync(own);
    fs.writeFileSync(path.join(own, 'migration.sql'), '-- AlterEnum\nBEGIN;\nCREATE TABLE "gadgets" ("id" INTEGER);\nCOMMIT;\n');
    const broken = path.join(service.migrationsDir, '20261123120000_broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'migration.sql'), 'ALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;\n');

    await expect(apply()).rejects.toThrow(/20261123120000_broken failed/);

    expect(await columnsOf('gadgets')).toEqual([]);
    expect(await columnsOf('widgets')).toEqual([]);
  });

  test('when several runners migrate the same database at once, then each migration is applied exactly once', async () => {
    const results = await Promise.all([apply(), apply(), apply()]);

    expect(results.flatMap((result) => result.applied)).toEqual(['20261123100000_init']);
    expect(await history()).toHaveLength(1);
  });
});
