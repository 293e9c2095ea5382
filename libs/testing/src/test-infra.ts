import net from 'node:net';
import { dockerEngineRuns, startTestContainers } from './test-containers';

/** Where a test run's Postgres, Redis and RabbitMQ are. */
export interface TestInfra {
  /** An admin URL: its role may CREATE DATABASE (isolateTestFile copies the migrated template with it). */
  databaseUrl: string;
  redisUrl: string;
  rabbitUrl: string;
  /** The RabbitMQ management API, when known (http://user:pass@host:15672). */
  rabbitManagementUrl?: string;
}

/** The servers `npm start` and `npm test` use on a developer's machine (see infra/scripts/lib/infra-resolve.sh). */
const LOCAL_DEFAULTS: Required<TestInfra> = {
  databaseUrl: 'postgresql://pingback:pingback@127.0.0.1:5432/pingback',
  redisUrl: 'redis://127.0.0.1:6379',
  rabbitUrl: 'amqp://guest:guest@127.0.0.1:5672',
  rabbitManagementUrl: 'http://guest:guest@127.0.0.1:15672',
};

/** Set by the jest global setup when it found no infrastructure, so each test file says why instead of probing. */
const UNAVAILABLE_VARIABLE = 'PINGBACK_TEST_INFRA_UNAVAILABLE';

function fromEnvironment(env: NodeJS.ProcessEnv): TestInfra | undefined {
  const { DATABASE_URL, REDIS_URL, RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL } = env;
  if (!DATABASE_URL || !REDIS_URL || !RABBITMQ_URL) return undefined;
  return {
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    rabbitUrl: RABBITMQ_URL,
    ...(RABBITMQ_MANAGEMENT_URL ? { rabbitManagementUrl: RABBITMQ_MANAGEMENT_URL } : {}),
  };
}

function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('connect', () => finish(true));
    socket.on('error', () => finish(false));
  });
}

async function localServers(): Promise<TestInfra | undefined> {
  const [postgres, redis, rabbit, management] = await Promise.all(
    [LOCAL_DEFAULTS.databaseUrl, LOCAL_DEFAULTS.redisUrl, LOCAL_DEFAULTS.rabbitUrl, LOCAL_DEFAULTS.rabbitManagementUrl].map(
      listening,
    ),
  );
  if (!postgres || !redis || !rabbit) return undefined;
  const { rabbitManagementUrl, ...servers } = LOCAL_DEFAULTS;
  return management ? { ...servers, rabbitManagementUrl } : servers;
}

/**
 * The infrastructure for tests, in this order: DATABASE_URL, REDIS_URL and RABBITMQ_URL (and the optional
 * RABBITMQ_MANAGEMENT_URL) from the environment, as `npm test` and the jest global setup pass them; servers
 * already listening on their default local ports; containers started with testcontainers where a Docker engine
 * runs (stop them with stopTestContainers).
 */
export async function getTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const configured = fromEnvironment(env);
  if (configured) return configured;
  const unavailable = env[UNAVAILABLE_VARIABLE];
  if (unavailable) throw new Error(unavailable);
  const local = await localServers();
  if (local) return local;
  if (await dockerEngineRuns()) return startTestContainers();
  throw new Error(
    'no test infrastructure: set DATABASE_URL, REDIS_URL and RABBITMQ_URL (npm test does), run Postgres, Redis and ' +
      'RabbitMQ on their default local ports (npm start does), or start a Docker engine for testcontainers',
  );
}

/** Hands the infrastructure to jest's workers, which inherit the global setup's environment. */
export function exportTestInfra(infra: TestInfra, env: NodeJS.ProcessEnv = process.env): void {
  env.DATABASE_URL = infra.databaseUrl;
  env.REDIS_URL = infra.redisUrl;
  env.RABBITMQ_URL = infra.rabbitUrl;
  if (infra.rabbitManagementUrl) env.RABBITMQ_MANAGEMENT_URL = infra.rabbitManagementUrl;
}

/** Tells jest's workers that there is no infrastructure, and why: tests that need it fail with this reason. */
export function exportTestInfraUnavailable(reason: string, env: NodeJS.ProcessEnv = process.env): void {
  env[UNAVAILABLE_VARIABLE] = reason;
}
