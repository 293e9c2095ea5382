import { randomBytes } from 'node:crypto';
import type { RuntimeConfig } from '../../src/run-service';

/** A service's runtime settings for a test: loopback ports picked by the system, a fresh secret key. */
export function testRuntimeConfig(rabbitUrl: string, overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return {
    LOG_LEVEL: 'silent',
    RABBITMQ_URL: rabbitUrl,
    HEALTH_PORT: 0,
    INTERNAL_HOST: '127.0.0.1',
    PUBLIC_HOST: '127.0.0.1',
    PINGBACK_RETRY_SCHEDULES: '',
    PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: '',
    SHUTDOWN_DEADLINE_MS: 5_000,
    PINGBACK_SECRET_KEY: randomBytes(32).toString('base64'),
    PINGBACK_PREVIOUS_SECRET_KEYS: [],
    ...overrides,
  };
}
