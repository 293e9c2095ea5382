import path from 'node:path';
import { REPO_ROOT } from './repo-root';
import { templateDatabaseName } from './template-database-name';
import { deleteStaleTestVhosts, managementUrlFor } from './rabbit-vhost';
import { exportTestInfra, exportTestInfraUnavailable, getTestInfra, type TestInfra } from './test-infra';

type Db = typeof import('@pingback/db');

// jest loads a global setup outside its module map, where `@pingback/db` would resolve to libs/db/dist (stale, or
// not built yet). Require the sources instead: jest's transform hook compiles TypeScript while the setup runs.
function loadDbSources(): Db {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(REPO_ROOT, 'libs', 'db', 'src')) as Db;
}

/**
 * Once per jest run: finds the infrastructure (getTestInfra), hands its URLs to the workers through the
 * environment, and makes sure the migrated template database exists. Without infrastructure the run goes on, so
 * tests that need none still pass; isolateTestFile then fails with the reason.
 */
export default async function globalSetup(): Promise<void> {
  let infra: TestInfra;
  try {
    infra = await getTestInfra();
  } catch (error) {
    exportTestInfraUnavailable((error as Error).message);
    return;
  }
  exportTestInfra(infra);
  const stale = await deleteStaleTestVhosts(infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl)).catch(
    (error: unknown) => {
      console.warn(`could not delete the vhosts of killed test runs: ${String(error)}`);
      return [];
    },
  );
  if (stale.length > 0) console.log(`deleted ${stale.length} vhosts left by killed test runs`);
  await loadDbSources().ensureTemplateDatabase(infra.databaseUrl, templateDatabaseName());
}
