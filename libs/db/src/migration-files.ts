import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One prisma/migrations/<YYYYMMDDHHMMSS>_<name>/ directory, read from disk. */
export interface MigrationFile {
  name: string;
  dir: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes: the value Prisma stores in _prisma_migrations.checksum. */
  checksum: string;
}

export const MIGRATION_SQL = 'migration.sql';
/** The datamodel as of a migration; make-migration diffs against it. Prisma ignores the file. */
export const SCHEMA_SNAPSHOT = 'schema.prisma';

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Migration directories in the order Prisma applies them (by name, i.e. by timestamp). */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(migrationsDir, name);
      const sqlFile = path.join(dir, MIGRATION_SQL);
      if (!fs.existsSync(sqlFile)) {
        throw new Error(`migration directory ${dir} has no ${MIGRATION_SQL}: restore the file or delete the directory`);
      }
      const bytes = fs.readFileSync(sqlFile);
      return { name, dir, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
    });
}
