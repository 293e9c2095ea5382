import fs from 'node:fs';
import path from 'node:path';

/** Each stateful service keeps its tables in its own Postgres schema of the shared database. */
export const SERVICE_SCHEMAS: Readonly<Record<string, string>> = {
  'ingest-gateway': 'gateway',
  'notification-dispatcher': 'dispatcher',
  'response-store': 'responses',
  'webhook-deliverer': 'deliverer',
  'workflow-tracker': 'tracker',
  'approval-service': 'approvals',
};

export interface ServiceMigrations {
  service: string;
  schema: string;
  serviceDir: string;
  migrationsDir: string;
}

export interface PrismaService {
  service: string;
  serviceDir: string;
  schemaFile: string;
}

export function schemaForService(service: string): string {
  const schema = SERVICE_SCHEMAS[service];
  if (schema === undefined) {
    throw new Error(
      `no Postgres schema is assigned to service "${service}": add it to SERVICE_SCHEMAS in libs/db/src/service-layout.ts`,
    );
  }
  return schema;
}

/** The workspace root: the nearest ancestor holding pnpm-workspace.yaml (works from src/ and dist/). */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}: cannot find the repository root`);
    dir = parent;
  }
}

function serviceDirs(repoRoot: string): string[] {
  const servicesDir = path.join(repoRoot, 'services');
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Every services/<svc>/prisma/migrations directory, with the schema its tables belong in. */
export function listServiceMigrations(repoRoot: string = findRepoRoot()): ServiceMigrations[] {
  return serviceDirs(repoRoot)
    .map((service) => ({ service, serviceDir: path.join(repoRoot, 'services', service) }))
    .filter(({ serviceDir }) => fs.existsSync(path.join(serviceDir, 'prisma', 'migrations')))
    .map(({ service, serviceDir }) => ({
      service,
      serviceDir,
      schema: schemaForService(service),
      migrationsDir: path.join(serviceDir, 'prisma', 'migrations'),
    }));
}

/** Every service that has a services/<svc>/prisma/schema.prisma. */
export function listPrismaServices(repoRoot: string = findRepoRoot()): PrismaService[] {
  return serviceDirs(repoRoot)
    .map((service) => {
      const serviceDir = path.join(repoRoot, 'services', service);
      return { service, serviceDir, schemaFile: path.join(serviceDir, 'prisma', 'schema.prisma') };
    })
    .filter(({ schemaFile }) => fs.existsSync(schemaFile));
}
