import path from 'node:path';
import { makeMigration } from '../make-migration';
import { runCli } from './cli-args';

// node libs/db/dist/cli/make-migration.js <service-dir> <name>
// Writes prisma/migrations/<timestamp>_<name>/ from the change in prisma/schema.prisma; needs no database.
async function main(): Promise<void> {
  const [serviceDir, ...words] = process.argv.slice(2);
  if (serviceDir === undefined || words.length === 0) {
    throw new Error('usage: make-migration <service-dir> <name>   e.g. make-migration services/response-store add_expiry');
  }
  const result = await makeMigration({ serviceDir: path.resolve(serviceDir), name: words.join(' ') });
  if (result.status === 'no_changes') {
    console.log('no changes');
    return;
  }
  console.log(`created ${path.relative(process.cwd(), result.migrationDir)}`);
}

runCli(main);
