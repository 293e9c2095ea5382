import { randomBytes } from 'node:crypto';
import { subscriptions, webhookDeliverSubscriptions } from '@pingback/contracts';
import { freePort, isolateTestFile, startService, type RunningService } from '@pingback/testing';

export const PING_IT_BACK_SERVICES = ['response-store', 'notification-dispatcher', 'webhook-deliverer', 'ingest-gateway'] as const;
/** Ping it back and seed 002's owner: workflows, process hooks, heartbeats, and their alerts. */
export const MONITORING_SERVICES = [...PING_IT_BACK_SERVICES, 'workflow-tracker'] as const;
/** Ping it back and seed 002's approvals: approval-service asks reviewers through the dispatcher. */
export const APPROVAL_SERVICES = [...PING_IT_BACK_SERVICES, 'approval-service'] as const;
/** All six services. */
export const ALL_SERVICES = [...MONITORING_SERVICES, 'approval-service'] as const;
export type ServiceName = (typeof ALL_SERVICES)[number];
/** Ping it back's competing consumers of their work queues, so a stack may run more than one copy of each (issue 11). */
export const CONSUMER_SERVICES = ['response-store', 'notification-dispatcher', 'webhook-deliverer'] as const satisfies readonly ServiceName[];
/** Every service a stack may run in copies: the consumers, and the owners of clocks that their copies share. */
const MULTI_COPY_SERVICES: readonly ServiceName[] = [...CONSUMER_SERVICES, 'workflow-tracker', 'approval-service'];

/** Retry schedules shortened so a test sees retries in seconds (CONTRACT §5: every window is configurable). */
const FAST_SCHEDULES = [
  `${webhookDeliverSubscriptions.callback.queue}=200,400,800`,
  `${webhookDeliverSubscriptions.notification.queue}=200,400`,
  `${webhookDeliverSubscriptions.delivery_event.queue}=200,400,800,1600,3200`,
  // Seed 004's 10 s, 30 s, 60 s at 1/50, so a test can still tell the three delays apart.
  `${webhookDeliverSubscriptions.room.queue}=200,600,1200`,
  `${subscriptions.deliverToProvider.queue}=300,600`,
  `${subscriptions.recordNotification.queue}=100,200`,
  `${subscriptions.dispatchNotification.queue}=100,200`,
].join(';');

export interface StackOptions {
  /** Copies of each consumer service, of workflow-tracker and of approval-service, 1 by default; the gateway always runs once. */
  copies?: number;
  /** Only these services run in `copies` (the others once): a test about one service's copies starts fewer processes. */
  copied?: readonly ServiceName[];
}

export interface Stack {
  url: string;
  env: Record<string, string>;
  /** The first copy of each service: the one RESPONSE_STORE_URL, DISPATCHER_URL, DELIVERER_URL and GATEWAY_INTERNAL_URL name. */
  services: Map<ServiceName, RunningService>;
  /** Every copy of a service, the first one first, each on its own health port. */
  copies(name: ServiceName): RunningService[];
  adminKey: string;
  /** (Re)starts one copy of a service (the first by default, `copy` counts from 0) on that copy's health port. */
  start(name: ServiceName, extraEnv?: Record<string, string>, copy?: number): Promise<RunningService>;
  stop(): Promise<void>;
}

/**
 * Runs the compiled ping-it-back services as processes, in this test file's own database, vhost and Redis
 * prefix. `overrides` change the environment of every service (windows, limits, a Redis of the test's own);
 * `options.copies` runs that many processes of each consumer service, all with the same environment.
 */
export async function startStack(
  overrides: Record<string, string> = {},
  names: readonly ServiceName[] = PING_IT_BACK_SERVICES,
  options: StackOptions = {},
): Promise<Stack> {
  const copies = options.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`copies must be a whole number of at least 1, not ${copies}`);
  const copied = options.copied ?? MULTI_COPY_SERVICES;
  const copiesOf = (name: ServiceName): number => (MULTI_COPY_SERVICES.includes(name) && copied.includes(name) ? copies : 1);
  const isolation = await isolateTestFile();
  const gatewayPort = await freePort();
  const healthPorts = new Map<ServiceName, number[]>();
  for (const name of ALL_SERVICES) {
    healthPorts.set(name, await Promise.all(Array.from({ length: copiesOf(name) }, () => freePort())));
  }
  const firstHealthPort = (name: ServiceName): number => healthPorts.get(name)![0]!;
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
    // Two test files run at once, each with up to seven services: small pools keep them under Postgres' 100.
    PINGBACK_DB_POOL_SIZE: '4',
    PINGBACK_DB_POOL_WARM: '1',
    // Internal reads are stateless, so the first copy answers them for all (as npm start -- --copies N does).
    RESPONSE_STORE_URL: `http://127.0.0.1:${firstHealthPort('response-store')}`,
    DISPATCHER_URL: `http://127.0.0.1:${firstHealthPort('notification-dispatcher')}`,
    DELIVERER_URL: `http://127.0.0.1:${firstHealthPort('webhook-deliverer')}`,
    GATEWAY_INTERNAL_URL: `http://127.0.0.1:${firstHealthPort('ingest-gateway')}`,
    TRACKER_URL: `http://127.0.0.1:${firstHealthPort('workflow-tracker')}`,
    APPROVALS_URL: `http://127.0.0.1:${firstHealthPort('approval-service')}`,
    SHUTDOWN_DEADLINE_MS: '5000',
    ...overrides,
  };
  const running = new Map<ServiceName, RunningService[]>();
  const services = new Map<ServiceName, RunningService>();
  const start = async (name: ServiceName, extraEnv: Record<string, string> = {}, copy = 0) => {
    const healthPort = healthPorts.get(name)![copy];
    if (healthPort === undefined) throw new Error(`${name} has ${copiesOf(name)} copies in this stack, so no copy ${copy}`);
    const service = await startService(name, { ...env, ...extraEnv }, {
      healthPort,
      // Up to seven processes start at once on two cores, beside other test files' stacks.
      readyTimeoutMs: 60_000,
      ...(name === 'ingest-gateway' ? { port: gatewayPort } : {}),
    });
    const copiesOfName = running.get(name) ?? [];
    copiesOfName[copy] = service;
    running.set(name, copiesOfName);
    if (copy === 0) services.set(name, service);
    return service;
  };
  const stopAll = async () => {
    await Promise.all([...running.values()].flat().map((s) => s.stop(5_000)));
    await isolation.cleanup();
  };
  const started = await Promise.allSettled(names.flatMap((name) => Array.from({ length: copiesOf(name) }, (_, copy) => start(name, {}, copy))));
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
    copies: (name) => [...(running.get(name) ?? [])],
    adminKey,
    start,
    stop: stopAll,
  };
}
