import Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis client for the fast path. Commands fail at once while Redis is down (no offline queue, one try
 * per request) so callers can fail open and keep serving from Postgres; the client reconnects by itself.
 */
export function createRedis(url: string, options: { keyPrefix: string; logger: Logger }): Redis {
  const client = new Redis(url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: true,
  });
  let healthy = true;
  client.on('error', (err) => {
    if (healthy) options.logger.warn({ err: err.message }, 'redis unavailable');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) options.logger.info('redis reconnected');
    healthy = true;
  });
  return client;
}

export async function connectRedis(client: Redis): Promise<void> {
  // A missing Redis must not stop a service from starting: it serves from Postgres and keeps retrying.
  await client.connect().catch(() => undefined);
}

export async function pingRedis(client: Redis): Promise<boolean> {
  return client.status === 'ready' && (await client.ping().then(() => true, () => false));
}

export async function closeRedis(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}

export type { Redis };
