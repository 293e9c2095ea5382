import type { Redis } from '@pingback/redis';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

const WINDOW_MS = 60_000;

export interface MinuteWindowDeps {
  redis: Redis;
  logger: Logger;
  failOpen: Counter<'operation'>;
  now?: () => number;
}

export interface WindowCount {
  /** Hits of the key in the current window, this one included. */
  count: number;
  /** Seconds until the window ends (at least 1): what a 429 puts in Retry-After. */
  retryAfterSeconds: number;
}

/**
 * Counts one hit of `key` in a fixed one-minute window in Redis. Limits are configuration, not durability: with
 * Redis down it answers null (fail open), counted in the metric under `operation` and logged.
 */
export async function countInMinuteWindow(deps: MinuteWindowDeps, key: string, operation: string): Promise<WindowCount | null> {
  const at = (deps.now ?? Date.now)();
  const window = Math.floor(at / WINDOW_MS);
  const windowKey = `${key}:${window}`;
  try {
    const result = await deps.redis.multi().incr(windowKey).pexpire(windowKey, WINDOW_MS * 2).exec();
    return {
      count: Number(result?.[0]?.[1] ?? 0),
      retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - at) / 1000)),
    };
  } catch (err) {
    deps.failOpen.inc({ operation });
    deps.logger.warn({ err: (err as Error).message, operation }, 'limit skipped: redis unavailable');
    return null;
  }
}
