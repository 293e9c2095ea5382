import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { makeMigration } from '../src/make-migration';
import type { ServiceMigrations } from '../src/service-layout';
import { createDatabaseFromTemplate, ensureTemplateDatabase, type DatabaseFromTemplate } from '../src/template-db';
import { ADMIN_URL, addWidgetField, copyFixtureService, dropDatabase, withPg } from './db-test-helpers';

// Real: Postgres. Two fixture "services" share one migrations directory but live in their own schemas, as the
// real services do. Every template and copy gets a random name and is dropped afterwards.
describe('template databases', () => {
  let service: ReturnType<typeof copyFixtureService>;
  let services: ServiceMigrations[];
  let templateName: string;
  const copies: DatabaseFromTemplate[] = [];

  const copy = async () => {
    const created = await createDatabaseFromTemplate(ADMIN_URL, templateName);
    copies.push(created);
    return created;
  };

  const databaseExists = (name: string) =>
    withPg(ADMIN_URL, async (pg) => (await pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

  const widgetColumns = (url: string, schema: string) =>
    withPg(url, async (pg) => {
      const result = await pg.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'widgets'
          ORDER BY column_name`,
        [schema],
      );
      return result.rows.map((row) => row.column_name);
    });

  beforeEach(async () => {
    templateName = `pingback_tpl_test_${randomBytes(5).toString('hex')}`;
    service = copyFixtureService();
    await makeMigration({ serviceDir: service.dir, name: 'init', now: () => new Date('2026-11-23T10:00:00Z') });
    services = ['alpha', 'beta'].map((schema) => ({
      service: `${schema}-service`,
      schema,
      serviceDir: service.dir,
      migrationsDir: service.migrationsDir,
    }));
  });

  afterEach(async () => {
    await Promise.all(copies.splice(0).map((created) => created.drop()));
    await dropDatabase(templateName);
    service.remove();
  });

  test('when the template is ensured twice with the same migrations, then it is built once and copies hold every schema', async () => {
    const first = await ensureTemplateDatabase(ADMIN_URL, templateName, { services });
    const second = await ensureTemplateDatabase(ADMIN_URL, templateName, { services });

    expect(first).toMatchObject({ name: templateName, rebuilt: true });
    expect(second).toEqual({ ...first, rebuilt: false });
    const created = await copy();
    expect(await widgetColumns(created.url, 'alpha')).toEqual(['created_at', 'id', 'key', 'label']);
    expect(await widgetColumns(created.url, 'beta')).toEqual(['created_at', 'id', 'key', 'label']);
    const history = await withPg(created.url, (pg) => pg.query('SELECT migration_name FROM alpha._prisma_migrations'));
    expect(history.rows).toEqual([{ migration_name: '20261123100000_init' }]);
  });

  test('when several callers ensure the template at once, then exactly one builds it and all can copy it', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ensureTemplateDatabase(ADMIN_URL, templateName, { services })));

    expect(results.filter((result) => result.rebuilt)).toHaveLength(1);
    const created = await Promise.all([copy(), copy(), copy()]);
    expect(new Set(created.map((database) => database.name)).size).toBe(3);
  });

  test('when a copy is written to, then other copies stay empty, and drop() removes it even with connections open', async () => {
    await ensureTemplateDatabase(ADMIN_URL, templateName, { services });
    const [written, untouched] = await Promise.all([copy(), copy()]);
    const open = await withPg(written.url, async (pg) => {
      await pg.query(`INSERT INTO alpha.widgets (id, key, label) VALUES (gen_random_uuid(), 'k', 'l')`);
      return (await pg.query('SELECT count(*)::int AS n FROM alpha.widgets')).rows[0];
    });
    expect(open).toEqual({ n: 1 });
    const empty = await withPg(untouched.url, async (pg) => (await pg.query('SELECT count(*)::int AS n FROM alpha.widgets')).rows[0]);
    expect(empty).toEqual({ n: 0 });

    const lingering = new Client({ connectionString: written.url });
    lingering.on('error', () => undefined);
    await lingering.connect();

    await written.drop();

    expect(await databaseExists(written.name)).toBe(false);
    await lingering.end().catch(() => undefined);
  });

  test('when the migrations change, then the template is rebuilt and new copies have the change', async () => {
    await ensureTemplateDatabase(ADMIN_URL, templateName, { services });
    const before = await copy();
    addWidgetField(service.schemaFile, 'color String?');
    await makeMigration({ serviceDir: service.dir, name: 'add color', now: () => new Date('2026-11-23T11:00:00Z') });

    const result = await ensureTemplateDatabase(ADMIN_URL, templateName, { services });

    expect(result.rebuilt).toBe(true);
    const after = await copy();
    expect(await widgetColumns(after.url, 'beta')).toContain('color');
    expect(await widgetColumns(before.url, 'beta')).not.toContain('color');
  });

  test('when no template was built, then copying it fails with a message that says what to call', async () => {
    await expect(createDatabaseFromTemplate(ADMIN_URL, templateName)).rejects.toThrow(
      `template database ${templateName} is missing or unfinished: call ensureTemplateDatabase first`,
    );
  });
});
