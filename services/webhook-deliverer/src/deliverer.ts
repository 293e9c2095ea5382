import { webhookDeliverSubscriptions, webhookOutcomePublications } from '@pingback/contracts';
import { createPrismaClient, schemaForService } from '@pingback/db';
import { startHttpServer, type RunningServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown, type Logger } from '@pingback/observability';
import { createServiceBroker } from '@pingback/runtime';
import { createKeyring, safePost, type Resolver } from '@pingback/security';
import { createApp } from './app';
import type { Config } from './config';
import { createWebhookRepository } from './data/webhook.repository';
import { ConcurrentDeliveryError, type DeliverWebhookDeps } from './domain/deliver-webhook';
import { decryptingLookup, gatewaySecretsLookup } from './domain/signing-secrets-client';
import { PrismaClient } from './generated/prisma/client';
import { webhookDeliverHandler } from './messaging/webhook-deliver.consumer';
import { createDelivererMetrics } from './metrics';

export const SERVICE = 'webhook-deliverer';

export interface DelivererOptions {
  config: Config;
  logger?: Logger;
  /** Resolves receivers' host names (default: the system's). Tests pass one that knows only loopback names. */
  resolver?: Resolver;
  clock?: () => Date;
}

export interface RunningDeliverer {
  healthPort: number;
  /** Stops once, in order, under SHUTDOWN_DEADLINE_MS; resolves with the exit code (0: every step in time). */
  shutdown(reason: string): Promise<number>;
}

/**
 * Builds and starts the whole service: a consumer per purpose's queue, the internal HTTP port, and the
 * ordered shutdown (readiness, consumers drained, HTTP, Postgres). main.ts adds only the signals.
 */
export async function startDeliverer(options: DelivererOptions): Promise<RunningDeliverer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(SERVICE, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE);
  const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
  const db = createPrismaClient(PrismaClient, { connectionString: config.DATABASE_URL, schema: schemaForService(SERVICE) });
  const broker = createServiceBroker(config, {
    logger,
    registry: metrics.registry,
    isTransientError: (error) => error instanceof ConcurrentDeliveryError,
  });
  const repo = createWebhookRepository(db);

  const deps: DeliverWebhookDeps = {
    repo,
    publishEvent: (event) => broker.publishEnvelope(webhookOutcomePublications[event.type], event),
    signingSecrets: decryptingLookup(gatewaySecretsLookup(config.GATEWAY_INTERNAL_URL), keyring),
    post: (request) =>
      safePost({
        ...request,
        allowPrivate: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
        ...(options.resolver ? { lookup: options.resolver } : {}),
      }),
    timeoutMs: config.PINGBACK_WEBHOOK_TIMEOUT_MS,
    clock: options.clock ?? (() => new Date()),
    metrics: createDelivererMetrics(metrics.registry),
    logger,
  };
  for (const subscription of Object.values(webhookDeliverSubscriptions)) broker.consume(subscription, webhookDeliverHandler(deps));

  let stopping = false;
  const app = createApp({
    repo,
    logger,
    registry: metrics.registry,
    isStopping: () => stopping,
    checks: [
      { name: 'broker', required: true, check: () => broker.isReady() },
      { name: 'postgres', required: true, check: () => db.$queryRaw`SELECT 1`.then(() => true) },
    ],
  });

  let internal: RunningServer;
  try {
    await broker.start();
    internal = await startHttpServer(app, config.HEALTH_PORT, config.INTERNAL_HOST);
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    throw err;
  }
  logger.info({ healthPort: internal.port }, 'ready');

  const shutdown = createShutdown(
    [
      { name: 'readiness', stop: () => void (stopping = true) },
      { name: 'broker', stop: () => broker.stop() },
      { name: 'internal-http', stop: () => internal.stop() },
      { name: 'postgres', stop: () => db.$disconnect() },
    ],
    { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS },
  );
  return { healthPort: internal.port, shutdown };
}
