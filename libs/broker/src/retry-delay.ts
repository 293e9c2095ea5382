import type { QueueSpec } from './topology';

/**
 * A queue with no retry schedule still retries failures of our own infrastructure (they never use up
 * attempts), after this delay.
 */
const UNSCHEDULED_RETRY_DELAY_MS = 1_000;

/**
 * Every delay a retry from `queue` can wait, shortest first: its schedule, and the Retry-After tiers longer than
 * its shortest scheduled delay (a requested delay only counts when it is longer than the scheduled one). Each is
 * a delay queue declared at start-up, so a retry never needs a queue declared on demand (CONTRACT §10).
 */
export function delayTiersOf(queue: QueueSpec): number[] {
  const scheduled = scheduledDelays(queue);
  const shortest = Math.min(...scheduled);
  const requestable = queue.retryAfterTiersMs.filter((tier) => tier > shortest);
  return [...new Set([...scheduled, ...requestable])].sort((a, b) => a - b);
}

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based): the queue's tier for it, or, when
 * the handler asked for longer (a Retry-After), the smallest tier at least that long, else the longest tier.
 */
export function retryDelayMs(queue: QueueSpec, attempt: number, requestedMs?: number): number {
  const scheduled = scheduledDelays(queue);
  const due = scheduled[Math.min(Math.max(attempt, 1), scheduled.length) - 1] as number;
  if (requestedMs === undefined || !(requestedMs > due)) return due;
  const tiers = delayTiersOf(queue);
  return tiers.find((tier) => tier >= requestedMs) ?? (tiers.at(-1) as number);
}

function scheduledDelays(queue: QueueSpec): number[] {
  return queue.retryDelaysMs.length > 0 ? queue.retryDelaysMs : [UNSCHEDULED_RETRY_DELAY_MS];
}
