import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readMigrations } from './migration-files';
import { quoteIdentifier } from './quote-identifier';

export interface MigrationLogger {
  info(message: string): void;
}

export interface ApplyMigrationsOptions {
  connectionString: string;
  /** Postgres schema that holds the service's tables and its own _prisma_migrations. */
  schema: string;
  /** A prisma/migrations directory: <YYYYMMDDHHMMSS>_<name>/migration.sql per migration. */
  migrationsDir: string;
  logger?: MigrationLogger;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations this call applied, in order; empty when the schema was up to date. */
  applied: string[];
  /** Number of migrations on disk. */
  total: number;
}

/** An applied migration's migration.sql no longer matches what was applied. */
export class MigrationEditedError extends Error {
  readonly code = 'migration_edited';

  constructor(
    readonly migrationName: string,
    readonly schema: string,
  ) {
    super(
      `migration ${migrationName} was edited after it was applied to schema "${schema}": ` +
        'restore its migration.sql and put the change in a new migration (make-migration)',
    );
    this.name = 'MigrationEditedError';
  }
}

/** Prisma recorded this migration as started but never finished (a failed `prisma migrate deploy`). */
export class MigrationFailedEarlierError extends Error {
  readonly code = 'migration_failed_earlier';

  constructor(
    readonly migrationName: string,
    readonly schema: string,
  ) {
    super(
      `migration ${migrationName} is recorded as failed in schema "${schema}": ` +
        'fix the schema by hand, then mark it with `prisma migrate resolve`',
    );
    this.name = 'MigrationFailedEarlierError';
  }
}

// The key `prisma migrate` itself locks, so this runner and Prisma's engine never migrate one database at once.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Prisma's own definition, so Prisma's engine reads this history as its own.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Prisma wraps some steps (e.g. removing an enum value) in their own BEGIN; ... COMMIT;. Inside this runner's one
// transaction a COMMIT would end it early (and release the lock), so those lines are left out; the outer
// transaction already makes the steps atomic. The checksum is still taken over the file as written.
function withoutTransactionControl(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !/^\s*(BEGIN|COMMIT)\s*;\s*$/i.test(line))
    .join('\n');
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations of one service to its schema, all in one transaction: either every pending
 * migration is applied and recorded, or none is. Calling it again applies nothing.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { connectionString, schema, migrationsDir, logger } = options;
  const migrations = readMigrations(migrationsDir);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const history = await client.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const applied = new Map<string, HistoryRow>();
    for (const row of history.rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) throw new MigrationFailedEarlierError(row.migration_name, schema);
      applied.set(row.migration_name, row);
    }

    const pending = migrations.filter((migration) => {
      const row = applied.get(migration.name);
      if (row && row.checksum !== migration.checksum) throw new MigrationEditedError(migration.name, schema);
      return row === undefined;
    });

    for (const migration of pending) {
      const started = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      try {
        await client.query(withoutTransactionControl(migration.sql));
      } catch (error) {
        throw new Error(`migration ${migration.name} failed in schema "${schema}": ${(error as Error).message}`, {
          cause: error,
        });
      }
      await client.query(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
        [randomUUID(), migration.checksum, migration.name, started.rows[0]?.now],
      );
      logger?.info(`applied migration ${migration.name} to schema ${schema}`);
    }
    await client.query('COMMIT');
    return { applied: pending.map((migration) => migration.name), total: migrations.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
