import { reportStartupFailure } from '@pingback/config';
import { isInfrastructureError } from '@pingback/db';
import { startInternalServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown } from '@pingback/observability';
import { createServiceBroker } from '@pingback/runtime';
import { createKeyring } from '@pingback/security';
import { loadConfig } from './config';
import { createDeliveryRepository } from './data/delivery.repository';
import { createDispatcherDb } from './data/prisma';
import { internalRoutes } from './http/internal.routes';
import { consumeNotificationRecorded } from './messaging/notification-recorded.consumer';
import { consumeWebhookOutcomes } from './messaging/webhook-outcome.consumer';

const SERVICE = 'notification-dispatcher';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE);
  const db = createDispatcherDb(config.DATABASE_URL);
  const broker = createServiceBroker(config, { logger, registry: metrics.registry });
  const repo = createDeliveryRepository(db);
  const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
  consumeNotificationRecorded(broker, { repo, keyring, publicUrl: config.PINGBACK_PUBLIC_URL });
  consumeWebhookOutcomes(broker, repo);

  await broker.start();
  const internal = await startInternalServer({
    port: config.HEALTH_PORT,
    host: config.INTERNAL_HOST,
    logger,
    registry: metrics.registry,
    routes: internalRoutes({ repo, keyring, publicUrl: config.PINGBACK_PUBLIC_URL }),
    isInfrastructureError,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => db.$queryRaw`SELECT 1`.then(() => true) },
    ],
  });
  logger.info({ healthPort: internal.port }, 'ready');

  const shutdown = createShutdown(
    [
      { name: 'readiness', stop: () => internal.markStopping() },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'internal-http', stop: () => internal.stop() },
      { name: 'postgres', stop: () => db.$disconnect() },
    ],
    { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS },
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => reportStartupFailure(SERVICE, err));
