import { applyMigrations, type ApplyMigrationsResult, type MigrationLogger } from './migrate';
import type { ServiceMigrations } from './service-layout';

export interface ServiceMigrationResult extends ApplyMigrationsResult {
  service: string;
  schema: string;
}

/** Applies each service's migrations to its own schema of one database, service after service. */
export async function migrateServices(
  connectionString: string,
  services: readonly ServiceMigrations[],
  logger?: MigrationLogger,
): Promise<ServiceMigrationResult[]> {
  const results: ServiceMigrationResult[] = [];
  for (const { service, schema, migrationsDir } of services) {
    const result = await applyMigrations({ connectionString, schema, migrationsDir, logger });
    results.push({ service, schema, ...result });
  }
  return results;
}

export function describeServiceMigration(result: ServiceMigrationResult): string {
  const head = `${result.service} (schema ${result.schema}):`;
  if (result.applied.length === 0) return `${head} up to date, ${result.total} migration(s)`;
  return `${head} applied ${result.applied.length} of ${result.total}: ${result.applied.join(', ')}`;
}
