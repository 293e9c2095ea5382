import fs from 'node:fs';
import path from 'node:path';
import { makeMigration } from '../src/make-migration';
import { addWidgetField, copyFixtureService, listDirs } from './db-test-helpers';

// Real: Prisma's schema engine (WebAssembly) and the file system. No database is involved.
describe('make-migration', () => {
  let service: ReturnType<typeof copyFixtureService>;
  const clock = (iso: string) => () => new Date(iso);

  beforeEach(() => {
    service = copyFixtureService();
  });

  afterEach(() => service.remove());

  test('when a service has no migrations yet, then it writes the SQL that creates its tables, a schema snapshot and the lock file', async () => {
    const result = await makeMigration({ serviceDir: service.dir, name: 'Create widgets', now: clock('2026-11-23T10:20:30Z') });

    expect(result.status).toBe('created');
    expect(listDirs(service.migrationsDir)).toEqual(['20261123102030_create_widgets']);
    const dir = path.join(service.migrationsDir, '20261123102030_create_widgets');
    const sql = fs.readFileSync(path.join(dir, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "widgets"');
    expect(sql).toContain('CREATE UNIQUE INDEX "widgets_key_key" ON "widgets"("key")');
    expect(sql).not.toContain('CREATE SCHEMA');
    expect(fs.readFileSync(path.join(dir, 'schema.prisma'), 'utf8')).toBe(fs.readFileSync(service.schemaFile, 'utf8'));
    expect(fs.readFileSync(path.join(service.migrationsDir, 'migration_lock.toml'), 'utf8')).toContain(
      'provider = "postgresql"',
    );
  });

  test('when the schema has not changed since the last migration, then it reports no changes and writes nothing', async () => {
    await makeMigration({ serviceDir: service.dir, name: 'init', now: clock('2026-11-23T10:20:30Z') });

    const result = await makeMigration({ serviceDir: service.dir, name: 'again', now: clock('2026-11-23T10:25:00Z') });

    expect(result).toEqual({ status: 'no_changes' });
    expect(listDirs(service.migrationsDir)).toEqual(['20261123102030_init']);
  });

  test('when a field is added, then the new migration only alters the table, diffing against the last snapshot', async () => {
    await makeMigration({ serviceDir: service.dir, name: 'init', now: clock('2026-11-23T10:20:30Z') });
    addWidgetField(service.schemaFile, 'color String?');

    const result = await makeMigration({ serviceDir: service.dir, name: 'add color', now: clock('2026-11-23T11:00:00Z') });

    expect(result.status === 'created' && result.sql).toBe('-- AlterTable\nALTER TABLE "widgets" ADD COLUMN     "color" TEXT;\n');
    expect(listDirs(service.migrationsDir)).toEqual(['20261123102030_init', '20261123110000_add_color']);
  });

  test('when the clock is not past the last migration, then the new directory still sorts after it', async () => {
    await makeMigration({ serviceDir: service.dir, name: 'init', now: clock('2026-11-23T10:20:30Z') });
    addWidgetField(service.schemaFile, 'color String?');

    await makeMigration({ serviceDir: service.dir, name: 'add color', now: clock('2026-11-23T10:20:30Z') });

    expect(listDirs(service.migrationsDir)).toEqual(['20261123102030_init', '20261123102031_add_color']);
  });

  test('when the schema is invalid, then it fails with the engine message and writes nothing', async () => {
    fs.appendFileSync(service.schemaFile, '\nmodel Broken {\n  id Strin @id\n}\n');

    await expect(makeMigration({ serviceDir: service.dir, name: 'broken' })).rejects.toThrow(/Strin/);
    expect(listDirs(service.migrationsDir)).toEqual([]);
  });
});
