import { describeServiceMigration, migrateServices } from '../migrate-services';
import { listServiceMigrations } from '../service-layout';
import { runCli, takeOption } from './cli-args';

// node libs/db/dist/cli/migrate-all.js [--database-url URL]
// Applies every services/*/prisma/migrations to that service's schema of DATABASE_URL.
async function main(): Promise<void> {
  const { value, rest } = takeOption(process.argv.slice(2), '--database-url');
  if (rest.length > 0) throw new Error(`unexpected arguments: ${rest.join(' ')}\nusage: migrate-all [--database-url URL]`);
  const connectionString = value ?? process.env.DATABASE_URL;
  if (!connectionString) throw new Error('no database: pass --database-url URL or set DATABASE_URL');
  const services = listServiceMigrations();
  if (services.length === 0) console.log('no services/*/prisma/migrations found');
  for (const service of services) {
    const [result] = await migrateServices(connectionString, [service]);
    console.log(describeServiceMigration(result!));
  }
}

runCli(main);
