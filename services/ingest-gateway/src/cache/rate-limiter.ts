import { AppError } from '@pingback/http';
import { countInMinuteWindow, type MinuteWindowDeps } from './minute-window';

export type RateLimiterDeps = MinuteWindowDeps;

/** A fixed one-minute window per scope and id (sends and polls per channel), failing open without Redis. */
export function createRateLimiter(deps: RateLimiterDeps) {
  return async function consume(scope: string, id: string, limitPerMinute: number): Promise<void> {
    const counted = await countInMinuteWindow(deps, `rl:${scope}:${id}`, `rate-limit.${scope}`);
    if (!counted || counted.count <= limitPerMinute) return;
    const retryAfter = counted.retryAfterSeconds;
    throw new AppError('rate_limited', `at most ${limitPerMinute} requests a minute`, { retry_after: retryAfter }, { 'Retry-After': String(retryAfter) });
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
