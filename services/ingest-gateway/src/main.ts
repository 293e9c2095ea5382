import { reportStartupFailure } from '@pingback/config';
import { loadLimits } from '@pingback/contracts';
import { isInfrastructureError } from '@pingback/db';
import { createInternalClient, startHttpServer, startInternalServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown } from '@pingback/observability';
import { createServiceBroker } from '@pingback/runtime';
import { closeRedis, connectRedis, createRedis, pingRedis } from '@pingback/redis';
import { createKeyring } from '@pingback/security';
import { createCredentialFailures } from './cache/credential-failures';
import { createRateLimiter } from './cache/rate-limiter';
import { loadConfig } from './config';
import { createAccountRepository } from './data/account.repository';
import { createChannelRepository } from './data/channel.repository';
import { createGatewayDb } from './data/prisma';
import { createGatewayApp } from './gateway';
import { internalRoutes } from './http/internal.routes';

const SERVICE = 'ingest-gateway';

async function main(): Promise<void> {
  const config = loadConfig();
  const limits = loadLimits();
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE);
  const db = createGatewayDb(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const broker = createServiceBroker(config, { logger, registry: metrics.registry });
  const channels = createChannelRepository(db);
  const app = createGatewayApp(
    {
      accounts: createAccountRepository(db),
      channels,
      broker,
      keyring: createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS),
      rateLimit: createRateLimiter({ redis, logger, failOpen: metrics.redisFailOpen }),
      credentialFailures: createCredentialFailures({ redis, logger, failOpen: metrics.redisFailOpen, limitPerMinute: config.PINGBACK_AUTH_FAILURES_PER_MINUTE }),
      responseStore: createInternalClient(config.RESPONSE_STORE_URL),
      dispatcher: createInternalClient(config.DISPATCHER_URL),
      now: () => new Date(),
      publicUrl: config.PINGBACK_PUBLIC_URL,
      adminKey: config.PINGBACK_ADMIN_KEY,
      allowPrivateTargets: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
      defaultExpiresInSeconds: limits.defaultExpiresInSeconds,
      secretOverlapMs: config.PINGBACK_SECRET_ROTATION_OVERLAP_MS,
      config: { sendRatePerMinute: config.PINGBACK_SEND_RATE_PER_MINUTE, pollRatePerMinute: config.PINGBACK_POLL_RATE_PER_MINUTE },
    },
    { logger, httpDuration: metrics.httpDuration, limits },
  );

  await connectRedis(redis);
  await broker.start();
  const internal = await startInternalServer({
    port: config.HEALTH_PORT,
    host: config.INTERNAL_HOST,
    logger,
    registry: metrics.registry,
    routes: internalRoutes({ channels, now: () => new Date() }),
    isInfrastructureError,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => db.$queryRaw`SELECT 1`.then(() => true) },
      { name: 'redis', required: false, check: () => pingRedis(redis) },
    ],
  });
  const publicServer = await startHttpServer(app, config.PORT);
  logger.info({ port: publicServer.port, healthPort: internal.port }, 'ready');

  const shutdown = createShutdown(
    [
      { name: 'readiness', stop: () => internal.markStopping() },
      { name: 'public-http', stop: () => publicServer.stop() },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'internal-http', stop: () => internal.stop() },
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
