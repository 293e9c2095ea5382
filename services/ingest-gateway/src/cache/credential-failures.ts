import { AppError } from '@pingback/http';
import { countInMinuteWindow, type MinuteWindowDeps } from './minute-window';

export interface CredentialFailuresDeps extends MinuteWindowDeps {
  /** Failures a client address may make in one family within a minute before it gets 429 (CONTRACT §4: 20). */
  limitPerMinute: number;
}

/**
 * Failed credentials (API keys, channel tokens, the admin key, respond and inbox links), counted per route
 * family and client address in a fixed one-minute window (CONTRACT §4). Only failures are counted and only
 * failures are refused: a valid credential gets in whatever its address did, so a broken script behind the
 * same NAT or proxy cannot lock its owner's colleagues out, and a valid request costs no Redis call. With Redis
 * down the failure gets its own answer (fail open), counted in a metric and logged, like the rate limits.
 */
export function createCredentialFailures(deps: CredentialFailuresDeps) {
  return {
    /** Counts one failure and returns what to answer: the credential's own error, or 429 once over the limit. */
    async refuse(family: string, address: string, error: AppError): Promise<AppError> {
      const counted = await countInMinuteWindow(deps, `cf:${family}:${address}`, `credential-failures.${family}`);
      if (!counted || counted.count <= deps.limitPerMinute) return error;
      if (counted.count === deps.limitPerMinute + 1) deps.logger.warn({ family, address }, 'failed credentials throttled');
      const retryAfter = counted.retryAfterSeconds;
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
