import { AppError } from '@pingback/http';
import type { Redis } from '@pingback/redis';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

export interface RateLimiterDeps {
  redis: Redis;
  logger: Logger;
  failOpen: Counter<'operation'>;
  now?: () => number;
}

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per key, counted in Redis. Rate limits are configuration, not durability: with
 * Redis down the request goes ahead (fail open), counted in a metric and logged.
 */
export function createRateLimiter(deps: RateLimiterDeps) {
  const now = deps.now ?? Date.now;
  return async function consume(scope: string, id: string, limitPerMinute: number): Promise<void> {
    const at = now();
    const window = Math.floor(at / WINDOW_MS);
    const key = `rl:${scope}:${id}:${window}`;
    let count: number;
    try {
      const result = await deps.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
      count = Number(result?.[0]?.[1] ?? 0);
    } catch (err) {
      deps.failOpen.inc({ operation: `rate-limit.${scope}` });
      deps.logger.warn({ err: (err as Error).message, scope }, 'rate limit skipped: redis unavailable');
      return;
    }
    if (count > limitPerMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - at) / 1000));
      throw new AppError('rate_limited', `at most ${limitPerMinute} requests a minute`, { retry_after: retryAfter }, { 'Retry-After': String(retryAfter) });
    }
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
