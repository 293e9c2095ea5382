export { applyMigrations, MigrationEditedError, MigrationFailedEarlierError } from './migrate';
export type { ApplyMigrationsOptions, ApplyMigrationsResult, MigrationLogger } from './migrate';
export { migrateServices, describeServiceMigration } from './migrate-services';
export type { ServiceMigrationResult } from './migrate-services';
export { makeMigration, migrationSlug } from './make-migration';
export type { MakeMigrationOptions, MakeMigrationResult } from './make-migration';
export { diffDatamodels } from './schema-diff';
export { readMigrations, sha256Hex } from './migration-files';
export type { MigrationFile } from './migration-files';
export { generatePrismaClient, offlinePrismaEnv, SCHEMA_ENGINE_STUB } from './generate-client';
export { createPrismaClient } from './prisma-client';
export { DEFAULT_POOL_SETTINGS } from './prisma-client';
export type { PoolSettings, PrismaClientClass, PrismaClientOptions } from './prisma-client';
export { isInfrastructureError, isUniqueViolation } from './db-errors';
export { createDatabaseFromTemplate, databaseUrl, ensureTemplateDatabase } from './template-db';
export type { DatabaseFromTemplate, TemplateDatabase, TemplateDatabaseOptions } from './template-db';
export {
  findRepoRoot,
  listPrismaServices,
  listServiceMigrations,
  schemaForService,
  SERVICE_SCHEMAS,
} from './service-layout';
export type { PrismaService, ServiceMigrations } from './service-layout';
export { createPostgresCheck } from './postgres-check';
export { withClient } from './with-client';
export { prismaDatabase } from './database-handle';
