import { randomBytes } from 'node:crypto';
import type { IsolatedTestFile } from './isolate-test-file';

/**
 * The environment every service needs, pointed at one test file's database, vhost and Redis prefix, with a fresh
 * secret key, a free internal port and quiet logs (TEST_LOG_LEVEL=debug shows them). `overrides` win.
 */
export function serviceEnv(isolated: IsolatedTestFile, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: isolated.databaseUrl,
    RABBITMQ_URL: isolated.rabbitUrl,
    REDIS_URL: isolated.redisUrl,
    REDIS_KEY_PREFIX: isolated.redisPrefix,
    PINGBACK_SECRET_KEY: randomBytes(32).toString('base64'),
    PINGBACK_PUBLIC_URL: 'http://127.0.0.1:1',
    PINGBACK_ALLOW_PRIVATE_TARGETS: 'true',
    HEALTH_PORT: '0',
    SHUTDOWN_DEADLINE_MS: '5000',
    // Two test files run at once, each with several services: small pools keep them under Postgres' 100.
    PINGBACK_DB_POOL_SIZE: '4',
    PINGBACK_DB_POOL_WARM: '1',
    ...overrides,
  };
}
