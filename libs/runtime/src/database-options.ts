import type { CommonConfig } from '@pingback/config';
import type { PrismaClientOptions } from '@pingback/db';
import type { ServiceMetrics } from '@pingback/observability';
import { Counter } from 'prom-client';

export type DatabaseConfig = Pick<
  CommonConfig,
  'PINGBACK_DB_POOL_SIZE' | 'PINGBACK_DB_POOL_WARM' | 'PINGBACK_DB_POOL_WAIT_MS' | 'PINGBACK_DB_CONNECT_TIMEOUT_MS'
>;

const COMMITS = 'pingback_db_commits_total';

/** A service's pool settings from its configuration, and its commits counted on its /metrics (the work budget). */
export function databaseOptions(config: DatabaseConfig, metrics: ServiceMetrics): Pick<PrismaClientOptions, 'pool' | 'onCommit'> {
  const commits =
    (metrics.registry.getSingleMetric(COMMITS) as Counter | undefined) ??
    new Counter({ name: COMMITS, help: 'Postgres commits issued: explicit COMMITs and writes outside a transaction', registers: [metrics.registry] });
  return {
    pool: {
      size: config.PINGBACK_DB_POOL_SIZE,
      warm: config.PINGBACK_DB_POOL_WARM,
      waitMs: config.PINGBACK_DB_POOL_WAIT_MS,
      connectTimeoutMs: config.PINGBACK_DB_CONNECT_TIMEOUT_MS,
    },
    onCommit: () => commits.inc(),
  };
}
