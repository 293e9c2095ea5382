import { execFile } from 'node:child_process';
import path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { REPO_ROOT } from './repo-root';
import type { TestInfra } from './test-infra';

// Where the global setup keeps the containers for the global teardown (each is loaded on its own by jest).
const STARTED = Symbol.for('pingback.testContainers');
type WithContainers = typeof globalThis & { [STARTED]?: StartedTestContainer[] };

/** Whether `docker info` succeeds: a client alone, with no engine behind it, is not enough. */
export function dockerEngineRuns(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info'], { timeout: 10_000 }, (error) => resolve(error === null));
  });
}

/** Postgres 15, Redis 7 and RabbitMQ 3.10 (with the management API) in containers, as docker-compose.yml has them. */
export async function startTestContainers(): Promise<TestInfra> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [postgres, redis, rabbit] = await Promise.all([
    new PostgreSqlContainer('postgres:15').withUsername('pingback').withPassword('pingback').withDatabase('pingback').start(),
    new GenericContainer('redis:7').withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage('Ready to accept connections')).start(),
    new GenericContainer('rabbitmq:3.10-management')
      .withExposedPorts(5672, 15672)
      .withCopyFilesToContainer([
        { source: path.join(REPO_ROOT, 'infra/docker/rabbitmq.conf'), target: '/etc/rabbitmq/conf.d/90-pingback.conf' },
      ])
      .withWaitStrategy(Wait.forLogMessage('Server startup complete'))
      .start(),
  ]);
  (globalThis as WithContainers)[STARTED] = [postgres, redis, rabbit];
  const rabbitHost = `${rabbit.getHost()}:${rabbit.getMappedPort(5672)}`;
  return {
    databaseUrl: postgres.getConnectionUri(),
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    rabbitUrl: `amqp://guest:guest@${rabbitHost}`,
    rabbitManagementUrl: `http://guest:guest@${rabbit.getHost()}:${rabbit.getMappedPort(15672)}`,
  };
}

/** Stops what startTestContainers started in this process; nothing when it started nothing. */
export async function stopTestContainers(): Promise<void> {
  const holder = globalThis as WithContainers;
  const containers = holder[STARTED] ?? [];
  delete holder[STARTED];
  await Promise.all(containers.map((container) => container.stop()));
}
