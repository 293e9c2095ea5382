export interface RetryDelays {
  /** Delay after the first failure; each further failure doubles it. */
  firstMs: number;
  /** The longest delay: a deadline whose handler keeps failing is tried this often, forever. */
  maxMs: number;
}

export const DEFAULT_RETRY_DELAYS: RetryDelays = { firstMs: 1_000, maxMs: 5 * 60_000 };

/** The delay before the run that follows failure number `failures` (1 for the first). */
export function retryDelayMs(delays: RetryDelays, failures: number): number {
  return Math.min(delays.maxMs, delays.firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}
