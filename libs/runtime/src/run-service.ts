import type { Broker } from '@pingback/broker';
import type { CommonConfig } from '@pingback/config';
import { isInfrastructureError } from '@pingback/db';
import { startHttpServer, startInternalServer, type RunningServer } from '@pingback/http';
import { createLogger, createMetrics, createShutdown, type Logger, type ReadinessCheck, type ServiceMetrics, type StopStep } from '@pingback/observability';
import { closeRedis, connectRedis, pingRedis, type Redis } from '@pingback/redis';
import { createKeyring, internalCallCheck } from '@pingback/security';
import type { Express, Router } from 'express';
import { createServiceBroker } from './service-broker';

export type RuntimeConfig = Pick<
  CommonConfig,
  | 'LOG_LEVEL'
  | 'RABBITMQ_URL'
  | 'HEALTH_PORT'
  | 'INTERNAL_HOST'
  | 'PUBLIC_HOST'
  | 'PINGBACK_RETRY_SCHEDULES'
  | 'PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS'
  | 'SHUTDOWN_DEADLINE_MS'
  | 'PINGBACK_SECRET_KEY'
  | 'PINGBACK_PREVIOUS_SECRET_KEYS'
>;

/** A service's Postgres: a readiness probe and the close at the end of shutdown. */
export interface DatabaseHandle {
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Something that runs in the background (an outbox relay, a deadline sweeper): started after the broker. */
export interface Worker {
  name: string;
  start(): void | Promise<void>;
  /** Finishes what is in flight. Safe to call when start() never ran. */
  stop(): Promise<void>;
}

/** What a service is made of. Building it starts nothing: runService starts the parts in its fixed order. */
export interface ServiceParts {
  database: DatabaseHandle;
  /** Optional for readiness: without Redis a service keeps serving from Postgres (CONTRACT §2). */
  redis?: Redis;
  /** Owner reads served on the internal port beside /healthz, /readyz and /metrics. */
  internalRoutes?: Router;
  /** The public edge (only the gateway has one). */
  publicApp?: { app: Express; port: number };
  workers?: Worker[];
  /**
   * Ends requests that are waiting on purpose (long polls), once the service is marked not ready: the HTTP ports
   * then close without waiting out a poll's whole wait.
   */
  releaseWaitingRequests?: () => void;
}

/** What runService makes before a service builds its parts. Consumers are registered on `broker` while building. */
export interface ServiceKit {
  logger: Logger;
  metrics: ServiceMetrics;
  broker: Broker;
}

export interface ServiceDefinition {
  name: string;
  config: RuntimeConfig;
  logger?: Logger;
  /** A service's own failures that are worth a retry rather than parking (beside our infrastructure's). */
  isTransientError?: (error: unknown) => boolean;
  build(kit: ServiceKit): ServiceParts | Promise<ServiceParts>;
  /**
   * How long a publish waits for the broker's confirm. Consumers wait for a busy broker (CONTRACT §2), since a
   * time-out only sends the whole message round again: a fan-out's ten thousand publishes take seconds to
   * confirm under load, and at 1 s its retry republished them every 30 s for ever. The edge passes 1 s, so it
   * answers 503 within 2 s.
   */
  confirmTimeoutMs?: number;
}

export const CONSUMER_CONFIRM_TIMEOUT_MS = 30_000;

export interface RunningService {
  name: string;
  healthPort: number;
  /** The public port, for the service that has one. */
  publicPort?: number;
  logger: Logger;
  /** Stops once, in the fixed order, under SHUTDOWN_DEADLINE_MS; resolves with the exit code. */
  stop(reason: string): Promise<number>;
}

/**
 * Starts a service's parts in one fixed order (Redis, broker and its consumers, workers, internal port, public
 * port) and returns the handle that stops them in the reverse order that keeps work safe: readiness first, then
 * the HTTP ports, the workers, the consumers (drained), Redis and Postgres. A failure while starting stops what
 * had started and rethrows, so a test or main.ts never leaks half a service.
 */
export async function runService(definition: ServiceDefinition): Promise<RunningService> {
  const { config, name } = definition;
  const logger = definition.logger ?? createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name);
  const broker = createServiceBroker(config, {
    logger,
    registry: metrics.registry,
    confirmTimeoutMs: definition.confirmTimeoutMs ?? CONSUMER_CONFIRM_TIMEOUT_MS,
    ...(definition.isTransientError ? { isTransientError: definition.isTransientError } : {}),
  });
  const parts = await definition.build({ logger, metrics, broker });
  let internal: Awaited<ReturnType<typeof startInternalServer>> | undefined;
  let publicServer: RunningServer | undefined;

  const steps: StopStep[] = [
    { name: 'readiness', stop: () => internal?.markStopping() },
    { name: 'waiting-requests', stop: () => parts.releaseWaitingRequests?.() },
    { name: 'public-http', stop: () => publicServer?.stop() },
    { name: 'internal-http', stop: () => internal?.stop() },
    ...(parts.workers ?? []).map((worker) => ({ name: worker.name, stop: () => worker.stop() })),
    { name: 'broker', stop: () => broker.stop() },
    { name: 'redis', stop: () => (parts.redis ? closeRedis(parts.redis) : undefined) },
    { name: 'postgres', stop: () => parts.database.close() },
  ];
  const shutdown = createShutdown(steps, { logger, deadlineMs: config.SHUTDOWN_DEADLINE_MS });

  try {
    // Never throws: without Redis a service starts degraded (CONTRACT §2), so Redis is always there to close.
    if (parts.redis) await connectRedis(parts.redis);
    await broker.start();
    for (const worker of parts.workers ?? []) await worker.start();
    internal = await startInternalServer({
      port: config.HEALTH_PORT,
      host: config.INTERNAL_HOST,
      logger,
      registry: metrics.registry,
      isInternalCredential: internalCallCheck(createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS)),
      ...(parts.internalRoutes ? { routes: parts.internalRoutes } : {}),
      isInfrastructureError,
      checks: readinessChecks(broker, parts),
    });
    if (parts.publicApp) publicServer = await startHttpServer(parts.publicApp.app, parts.publicApp.port, config.PUBLIC_HOST);
  } catch (error) {
    await shutdown('failed to start');
    throw error;
  }
  logger.info({ healthPort: internal.port, ...(publicServer ? { port: publicServer.port } : {}) }, 'ready');
  return {
    name,
    healthPort: internal.port,
    ...(publicServer ? { publicPort: publicServer.port } : {}),
    logger,
    stop: shutdown,
  };
}

function readinessChecks(broker: Broker, parts: ServiceParts): ReadinessCheck[] {
  const redis = parts.redis;
  return [
    { name: 'broker', required: true, check: () => broker.isReady() },
    { name: 'postgres', required: true, check: () => parts.database.ping() },
    ...(redis ? [{ name: 'redis', required: false, check: () => pingRedis(redis) }] : []),
  ];
}
