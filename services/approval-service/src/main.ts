import { createBroker, topology, withScheduleOverrides } from '@pingback/broker';
import { reportStartupFailure } from '@pingback/config';
import { createPostgresCheck } from '@pingback/db';
import { startInternalServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown } from '@pingback/observability';
import { loadConfig } from './config';

const SERVICE = 'approval-service';

/** Connected, healthy and stoppable; approval requests, decisions and timeouts arrive in a later issue. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE);
  const broker = createBroker({
    url: config.RABBITMQ_URL,
    topology: withScheduleOverrides(topology, config.PINGBACK_RETRY_SCHEDULES),
    logger,
    registry: metrics.registry,
  });
  const postgres = createPostgresCheck(config.DATABASE_URL);

  await broker.start();
  const internal = await startInternalServer({
    port: config.HEALTH_PORT,
    logger,
    registry: metrics.registry,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => postgres.ping() },
    ],
  });
  logger.info({ healthPort: internal.port }, 'ready');

  const shutdown = createShutdown(
    [
      { name: 'readiness', stop: () => internal.markStopping() },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'internal-http', stop: () => internal.stop() },
      { name: 'postgres', stop: () => postgres.close() },
    ],
    { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS },
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => reportStartupFailure(SERVICE, err));
