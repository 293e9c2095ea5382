import { ensureTemplateDatabase } from '@pingback/db';
import { getTestInfra, templateDatabaseName, type TestInfra } from '@pingback/testing';
import { startStack, type Stack } from '../../tests/support/stack';
import { PRODUCTION_OVERRIDES } from './settings';

/**
 * The four ping-it-back services as processes, compiled (build first), with production settings, in a database,
 * vhost and Redis prefix of their own that stop() removes again.
 */
export async function startProductionStack(extraEnv: Record<string, string> = {}): Promise<{ stack: Stack; infra: TestInfra }> {
  const infra = await getTestInfra();
  await ensureTemplateDatabase(infra.databaseUrl, templateDatabaseName());
  const stack = await startStack({ ...PRODUCTION_OVERRIDES, ...extraEnv });
  return { stack, infra };
}
