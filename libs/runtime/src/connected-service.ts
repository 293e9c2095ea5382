import type { CommonConfig } from '@pingback/config';
import { createPostgresCheck } from '@pingback/db';
import { startInternalServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown } from '@pingback/observability';
import { createServiceBroker } from './service-broker';

type ConnectedServiceConfig = Pick<
  CommonConfig,
  'LOG_LEVEL' | 'DATABASE_URL' | 'RABBITMQ_URL' | 'HEALTH_PORT' | 'INTERNAL_HOST' | 'PINGBACK_RETRY_SCHEDULES' | 'SHUTDOWN_DEADLINE_MS'
>;

/**
 * A service that is connected (broker, Postgres), observable (/healthz, /readyz, /metrics) and stoppable, with
 * no work of its own yet: workflow-tracker and approval-service until their issues land. Returns the shutdown
 * for main.ts to call on a signal.
 */
export async function startConnectedService(service: string, config: ConnectedServiceConfig) {
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = createMetrics(service);
  const broker = createServiceBroker(config, { logger, registry: metrics.registry });
  const postgres = createPostgresCheck(config.DATABASE_URL);

  await broker.start();
  const internal = await startInternalServer({
    port: config.HEALTH_PORT,
    host: config.INTERNAL_HOST,
    logger,
    registry: metrics.registry,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => postgres.ping() },
    ],
  });
  logger.info({ healthPort: internal.port }, 'ready');

  return createShutdown(
    [
      { name: 'readiness', stop: () => internal.markStopping() },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'internal-http', stop: () => internal.stop() },
      { name: 'postgres', stop: () => postgres.close() },
    ],
    { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS },
  );
}
