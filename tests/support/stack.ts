import { randomBytes } from 'node:crypto';
import { subscriptions, webhookDeliverSubscriptions } from '@pingback/contracts';
import { freePort, isolateTestFile, startService, type RunningService } from '@pingback/testing';

export const PING_IT_BACK_SERVICES = ['response-store', 'notification-dispatcher', 'webhook-deliverer', 'ingest-gateway'] as const;
export type ServiceName = (typeof PING_IT_BACK_SERVICES)[number];

/** Retry schedules shortened so a test sees retries in seconds (CONTRACT §5: every window is configurable). */
const FAST_SCHEDULES = [
  `${webhookDeliverSubscriptions.callback.queue}=200,400,800`,
  `${webhookDeliverSubscriptions.notification.queue}=200,400`,
  `${subscriptions.recordNotification.queue}=100,200`,
  `${subscriptions.dispatchNotification.queue}=100,200`,
].join(';');

export interface Stack {
  url: string;
  env: Record<string, string>;
  services: Map<ServiceName, RunningService>;
  adminKey: string;
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<RunningService>;
  stop(): Promise<void>;
}

/**
 * Runs the compiled ping-it-back services as processes, in this test file's own database, vhost and Redis
 * prefix. `overrides` change the environment of every service (windows, limits, a Redis of the test's own).
 */
export async function startStack(overrides: Record<string, string> = {}, names: readonly ServiceName[] = PING_IT_BACK_SERVICES): Promise<Stack> {
  const isolation = await isolateTestFile();
  const [gatewayPort, gatewayHealth, dispatcherHealth, responseStoreHealth, delivererHealth] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const healthPorts: Record<ServiceName, number> = {
    'ingest-gateway': gatewayHealth!,
    'notification-dispatcher': dispatcherHealth!,
    'response-store': responseStoreHealth!,
    'webhook-deliverer': delivererHealth!,
  };
  const url = `http://127.0.0.1:${gatewayPort}`;
  const adminKey = `admin_${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: isolation.databaseUrl,
    RABBITMQ_URL: isolation.rabbitUrl,
    REDIS_URL: isolation.redisUrl,
    REDIS_KEY_PREFIX: isolation.redisPrefix,
    PINGBACK_SECRET_KEY: randomBytes(32).toString('base64'),
    PINGBACK_ADMIN_KEY: adminKey,
    PINGBACK_PUBLIC_URL: url,
    PINGBACK_ALLOW_PRIVATE_TARGETS: 'true',
    PINGBACK_RETRY_SCHEDULES: FAST_SCHEDULES,
    PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: '200',
    RESPONSE_STORE_URL: `http://127.0.0.1:${responseStoreHealth}`,
    DISPATCHER_URL: `http://127.0.0.1:${dispatcherHealth}`,
    GATEWAY_INTERNAL_URL: `http://127.0.0.1:${gatewayHealth}`,
    SHUTDOWN_DEADLINE_MS: '5000',
    ...overrides,
  };
  const services = new Map<ServiceName, RunningService>();
  const start = async (name: ServiceName, extraEnv: Record<string, string> = {}) => {
    const service = await startService(name, { ...env, ...extraEnv }, {
      healthPort: healthPorts[name],
      ...(name === 'ingest-gateway' ? { port: gatewayPort! } : {}),
    });
    services.set(name, service);
    return service;
  };
  const stopAll = async () => {
    await Promise.all([...services.values()].map((s) => s.stop(5_000)));
    await isolation.cleanup();
  };
  const started = await Promise.allSettled(names.map((name) => start(name)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // Leave nothing running behind a failed start, or jest never exits.
    await stopAll();
    throw failed.reason;
  }
  return {
    url,
    env,
    services,
    adminKey,
    start,
    stop: stopAll,
  };
}
