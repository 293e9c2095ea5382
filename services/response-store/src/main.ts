import { reportStartupFailure } from '@pingback/config';
import { loadLimits } from '@pingback/contracts';
import { isInfrastructureError } from '@pingback/db';
import { startInternalServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown } from '@pingback/observability';
import { createServiceBroker } from '@pingback/runtime';
import { closeRedis, connectRedis, createRedis, pingRedis } from '@pingback/redis';
import { createKeyring } from '@pingback/security';
import { loadConfig } from './config';
import { createResponsesDb } from './data/prisma';
import { systemClock } from './domain/clock';
import { internalRoutes } from './http/internal.routes';
import { createResponseStore } from './response-store';

const SERVICE = 'response-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE);
  const db = createResponsesDb(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const broker = createServiceBroker(config, { logger, registry: metrics.registry });
  const store = createResponseStore({
    db,
    redis,
    broker,
    keyring: createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS),
    logger,
    clock: systemClock,
    failOpen: metrics.redisFailOpen,
    readWindowMs: config.PINGBACK_READ_WINDOW_MS,
    outboxIntervalMs: config.PINGBACK_OUTBOX_INTERVAL_MS,
    maxTextAnswerChars: loadLimits().textAnswerChars,
  });

  await connectRedis(redis);
  await broker.start();
  store.relay.start();
  const internal = await startInternalServer({
    port: config.HEALTH_PORT,
    host: config.INTERNAL_HOST,
    logger,
    registry: metrics.registry,
    routes: internalRoutes(store),
    isInfrastructureError,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => db.$queryRaw`SELECT 1`.then(() => true) },
      { name: 'redis', required: false, check: () => pingRedis(redis) },
    ],
  });
  logger.info({ healthPort: internal.port }, 'ready');

  const shutdown = createShutdown(
    [
      { name: 'readiness', stop: () => internal.markStopping() },
      { name: 'internal-http', stop: () => internal.stop() },
      { name: 'outbox-relay', stop: () => store.relay.stop() },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'redis', stop: () => closeRedis(redis) },
      { name: 'postgres', stop: () => db.$disconnect() },
    ],
    { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS },
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => reportStartupFailure(SERVICE, err));
