import { AppError } from '@pingback/http';
import type { Redis } from '@pingback/redis';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

export interface CredentialFailuresDeps {
  redis: Redis;
  logger: Logger;
  failOpen: Counter<'operation'>;
  /** Failures a client address may make in one family within a minute before it gets 429 (CONTRACT §4: 20). */
  limitPerMinute: number;
  now?: () => number;
}

const WINDOW_MS = 60_000;

/**
 * Failed credentials (API keys, channel tokens, the admin key, respond and inbox links), counted per route
 * family and client address in a fixed one-minute window (CONTRACT §4). Only failures are counted and only
 * failures are refused: a valid credential gets in whatever its address did, so a broken script behind the
 * same NAT or proxy cannot lock its owner's colleagues out, and a valid request costs no Redis call. With Redis
 * down the failure gets its own answer (fail open), counted in a metric and logged, like the rate limits.
 */
export function createCredentialFailures(deps: CredentialFailuresDeps) {
  const now = deps.now ?? Date.now;
  return {
    /** Counts one failure and returns what to answer: the credential's own error, or 429 once over the limit. */
    async refuse(family: string, address: string, error: AppError): Promise<AppError> {
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      const key = `cf:${family}:${address}:${window}`;
      let count: number;
      try {
        const result = await deps.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
        count = Number(result?.[0]?.[1] ?? 0);
      } catch (err) {
        deps.failOpen.inc({ operation: `credential-failures.${family}` });
        deps.logger.warn({ err: (err as Error).message, family }, 'credential throttle skipped: redis unavailable');
        return error;
      }
      if (count <= deps.limitPerMinute) return error;
      if (count === deps.limitPerMinute + 1) deps.logger.warn({ family, address }, 'failed credentials throttled');
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - at) / 1000));
      return new AppError(
        'rate_limited',
        `too many failed credentials from this address; try again in ${retryAfter} s`,
        { retry_after: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    },
  };
}

export type CredentialFailures = ReturnType<typeof createCredentialFailures>;
