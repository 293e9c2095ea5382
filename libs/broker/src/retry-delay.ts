import type { QueueSpec } from './topology';

/**
 * A queue with no retry schedule still retries failures of our own infrastructure (they never use up
 * attempts), after this delay.
 */
const UNSCHEDULED_RETRY_DELAY_MS = 1_000;

/**
 * A failure of our own infrastructure (Postgres busy or down, an owner not answering) is retried after these
 * pauses, the n-th consecutive one after the n-th (the last repeats), whatever the queue's schedule: waiting for
 * our database is no reason to push a webhook onto its receiver's minute-long schedule, and it spends no attempt.
 */
export const INFRASTRUCTURE_RETRY_DELAYS_MS = [1_000, 5_000, 30_000] as const;

/**
 * Every delay a retry from `queue` can wait, shortest first: its schedule, the Retry-After tiers longer than
 * its shortest scheduled delay (a requested delay only counts when it is longer than the scheduled one), and
 * the infrastructure pauses. Each is a delay queue declared at start-up, so a retry never needs a queue
 * declared on demand (CONTRACT §10).
 */
export function delayTiersOf(queue: QueueSpec): number[] {
  return [...new Set([...requestableTiers(queue), ...infrastructureDelays(queue)])].sort((a, b) => a - b);
}

function requestableTiers(queue: QueueSpec): number[] {
  const scheduled = scheduledDelays(queue);
  const shortest = Math.min(...scheduled);
  const requestable = queue.retryAfterTiersMs.filter((tier) => tier > shortest);
  return [...new Set([...scheduled, ...requestable])].sort((a, b) => a - b);
}

/** The pause before retrying after the `retries`-th consecutive infrastructure failure (1-based). */
export function infrastructureRetryDelayMs(queue: QueueSpec, retries: number): number {
  const delays = infrastructureDelays(queue);
  return delays[Math.min(Math.max(retries, 1), delays.length) - 1] as number;
}

function infrastructureDelays(queue: QueueSpec): readonly number[] {
  return queue.infrastructureRetryDelaysMs?.length ? queue.infrastructureRetryDelaysMs : INFRASTRUCTURE_RETRY_DELAYS_MS;
}

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based): the queue's tier for it, or, when
 * the handler asked for longer (a Retry-After), the smallest tier at least that long, else the longest tier.
 */
export function retryDelayMs(queue: QueueSpec, attempt: number, requestedMs?: number): number {
  const scheduled = scheduledDelays(queue);
  const due = scheduled[Math.min(Math.max(attempt, 1), scheduled.length) - 1] as number;
  if (requestedMs === undefined || !(requestedMs > due)) return due;
  const tiers = requestableTiers(queue);
  return tiers.find((tier) => tier >= requestedMs) ?? (tiers.at(-1) as number);
}

function scheduledDelays(queue: QueueSpec): number[] {
  return queue.retryDelaysMs.length > 0 ? queue.retryDelaysMs : [UNSCHEDULED_RETRY_DELAY_MS];
}
