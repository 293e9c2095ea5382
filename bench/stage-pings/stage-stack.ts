import { ensureTemplateDatabase } from '@pingback/db';
import { getTestInfra, templateDatabaseName, type TestInfra } from '@pingback/testing';
import { MONITORING_SERVICES, startStack, type Stack } from '../../tests/support/stack';
import { PRODUCTION_OVERRIDES } from '../ping-it-back/settings';

/**
 * The five services seed 002 needs (the gateway forwards stage pings to workflow-tracker), compiled, as processes,
 * one copy each, with the ping-it-back bench's production settings plus `extraEnv`, in a database, vhost and Redis
 * prefix of their own that stop() removes again.
 */
export async function startStagePingStack(extraEnv: Record<string, string>): Promise<{ stack: Stack; infra: TestInfra; overrides: Record<string, string> }> {
  const infra = await getTestInfra();
  await ensureTemplateDatabase(infra.databaseUrl, templateDatabaseName());
  const overrides = { ...PRODUCTION_OVERRIDES, ...extraEnv };
  const stack = await startStack(overrides, MONITORING_SERVICES);
  return { stack, infra, overrides };
}
