import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withClient } from '../src/with-client';
import { databaseUrl, dropForcefully } from '../src/template-db';

// Real: the local Postgres server. Each test file works in databases it creates with random names and drops.
export const ADMIN_URL = process.env.PINGBACK_TEST_ADMIN_URL ?? 'postgresql://pingback:pingback@127.0.0.1:5432/pingback';

export const FIXTURE_SERVICE_DIR = path.join(__dirname, 'fixtures', 'sample-service');

/** One connected pg client for the duration of `use` (libs/db's own helper). */
export const withPg = withClient;

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `pingback_db_test_${randomBytes(6).toString('hex')}`;
  await withPg(ADMIN_URL, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: databaseUrl(ADMIN_URL, name),
    drop: () => dropDatabase(name),
  };
}

/** Drops a database even when it is marked as a template or still has connections. */
export async function dropDatabase(name: string): Promise<void> {
  await withPg(ADMIN_URL, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) return;
    await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE false`);
    // An autovacuum worker that just started in it cannot be ended by FORCE: dropForcefully waits for it.
    await dropForcefully(client, name);
  });
}

/** A throwaway service directory holding a copy of the fixture's prisma/schema.prisma and no migrations. */
export function copyFixtureService(): { dir: string; schemaFile: string; migrationsDir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-db-'));
  fs.mkdirSync(path.join(dir, 'prisma'));
  const schemaFile = path.join(dir, 'prisma', 'schema.prisma');
  fs.copyFileSync(path.join(FIXTURE_SERVICE_DIR, 'prisma', 'schema.prisma'), schemaFile);
  return {
    dir,
    schemaFile,
    migrationsDir: path.join(dir, 'prisma', 'migrations'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Adds `line` to the Widget model of a copied fixture schema. */
export function addWidgetField(schemaFile: string, line: string): void {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const next = schema.replace(/(model Widget \{\n)/, `$1  ${line}\n`);
  if (next === schema) throw new Error('fixture schema has no Widget model');
  fs.writeFileSync(schemaFile, next);
}

export function listDirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
