import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { readMigrations, sha256Hex } from './migration-files';
import { migrateServices } from './migrate-services';
import { quoteIdentifier } from './quote-identifier';
import { listServiceMigrations, type ServiceMigrations } from './service-layout';
import { withClient } from './with-client';

export interface TemplateDatabaseOptions {
  /** Which migrations the template holds; every services/<svc>/prisma/migrations when left out. */
  services?: readonly ServiceMigrations[];
}

export interface TemplateDatabase {
  name: string;
  /** sha256 over every service's schema name and migration files. */
  migrationsHash: string;
  /** False when the template already held exactly these migrations. */
  rebuilt: boolean;
}

export interface DatabaseFromTemplate {
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

const COMMENT_PREFIX = 'pingback migrations sha256:';
const COPY_DEADLINE_MS = 15_000;
const IDLE_DEADLINE_MS = 15_000;

function migrationsHash(services: readonly ServiceMigrations[]): string {
  const lines = [...services]
    .sort((a, b) => a.schema.localeCompare(b.schema))
    .flatMap(({ schema, migrationsDir }) =>
      readMigrations(migrationsDir).map((migration) => `${schema}/${migration.name} ${migration.checksum}`),
    );
  return sha256Hex(lines.join('\n'));
}

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}


// One lock per template: holders of the shared lock copy it, the holder of the exclusive lock rebuilds it.
const LOCK_KEY = `hashtextextended('pingback-template:' || $1, 0)`;

async function templateComment(client: Client, name: string): Promise<string | null | undefined> {
  const result = await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  return result.rows[0]?.comment;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CREATE DATABASE ... TEMPLATE fails (55006) while anyone is connected to the template; pg backends end shortly. */
async function waitUntilNoConnections(client: Client, database: string): Promise<void> {
  const deadline = Date.now() + IDLE_DEADLINE_MS;
  for (;;) {
    const result = await client.query<{ count: string }>(
      'SELECT count(*) AS count FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    if (result.rows[0]?.count === '0') return;
    if (Date.now() > deadline) throw new Error(`database ${database} still has connections after ${IDLE_DEADLINE_MS} ms`);
    await pause(50);
  }
}

async function dropDatabase(client: Client, name: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) return;
  await client.query(`ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE false`);
  await dropForcefully(client, name);
}

async function rebuildTemplate(
  client: Client,
  adminUrl: string,
  name: string,
  services: readonly ServiceMigrations[],
  hash: string,
): Promise<void> {
  await dropDatabase(client, name);
  await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  await migrateServices(databaseUrl(adminUrl, name), services);
  await waitUntilNoConnections(client, name);
  await client.query(`ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  // Written last: a template whose build was interrupted has no matching comment and is rebuilt.
  await client.query(`COMMENT ON DATABASE ${quoteIdentifier(name)} IS ${client.escapeLiteral(COMMENT_PREFIX + hash)}`);
}

/**
 * Makes sure database `templateName` holds every service's migrations (each in its schema), rebuilding it only
 * when the migration files changed since it was built. Safe to call from many processes at once.
 */
export async function ensureTemplateDatabase(
  adminUrl: string,
  templateName = 'pingback_template',
  options: TemplateDatabaseOptions = {},
): Promise<TemplateDatabase> {
  const services = options.services ?? listServiceMigrations();
  const hash = migrationsHash(services);
  const upToDate = (comment: string | null | undefined): boolean => comment === COMMENT_PREFIX + hash;
  quoteIdentifier(templateName);

  return withClient(adminUrl, async (client) => {
    await client.query(`SELECT pg_advisory_lock_shared(${LOCK_KEY})`, [templateName]);
    const current = await templateComment(client, templateName);
    await client.query(`SELECT pg_advisory_unlock_shared(${LOCK_KEY})`, [templateName]);
    if (upToDate(current)) return { name: templateName, migrationsHash: hash, rebuilt: false };

    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [templateName]);
    try {
      if (upToDate(await templateComment(client, templateName))) {
        return { name: templateName, migrationsHash: hash, rebuilt: false };
      }
      await rebuildTemplate(client, adminUrl, templateName, services, hash);
      return { name: templateName, migrationsHash: hash, rebuilt: true };
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [templateName]);
    }
  });
}

async function copyTemplate(client: Client, name: string, templateName: string): Promise<void> {
  const deadline = Date.now() + COPY_DEADLINE_MS;
  for (;;) {
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(templateName)}`);
      return;
    } catch (error) {
      // 55006: "source database is being accessed by other users", e.g. a backend of the build still exiting.
      if ((error as { code?: string }).code !== '55006' || Date.now() > deadline) throw error;
      await pause(50);
    }
  }
}

/**
 * A new database copied from the template (see ensureTemplateDatabase): every schema migrated, no rows.
 * Call drop() when done.
 */
export async function createDatabaseFromTemplate(
  adminUrl: string,
  templateName = 'pingback_template',
): Promise<DatabaseFromTemplate> {
  const name = `${templateName.slice(0, 50)}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, async (client) => {
    await client.query(`SELECT pg_advisory_lock_shared(${LOCK_KEY})`, [templateName]);
    try {
      const comment = await templateComment(client, templateName);
      if (!comment?.startsWith(COMMENT_PREFIX)) {
        throw new Error(`template database ${templateName} is missing or unfinished: call ensureTemplateDatabase first`);
      }
      await copyTemplate(client, name, templateName);
    } finally {
      await client.query(`SELECT pg_advisory_unlock_shared(${LOCK_KEY})`, [templateName]);
    }
  });
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => withClient(adminUrl, (client) => dropForcefully(client, name)),
  };
}

/**
 * Drops a database and the sessions still in it. FORCE may not end a session of another role (an autovacuum
 * worker that just started on it, say: 42501); such a session ends by itself, so try again for a while.
 */
export async function dropForcefully(client: Client, name: string, attempts = 20): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= attempts) throw error;
      await pause(250);
    }
  }
}
