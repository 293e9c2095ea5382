import type { QueueSpec } from './topology';

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based): the queue's tier for it, or
 * longer when the handler asked for more (a Retry-After). A requested delay is rounded up to two significant
 * digits, so arbitrary Retry-After values share a handful of delay queues instead of declaring one each.
 */
export function retryDelayMs(queue: QueueSpec, attempt: number, requestedMs?: number): number {
  const tiers = queue.retryDelaysMs;
  const scheduled = tiers[Math.min(attempt, tiers.length) - 1] ?? 0;
  if (requestedMs === undefined || !Number.isFinite(requestedMs) || requestedMs <= scheduled) return scheduled;
  return roundUpToTwoSignificantDigits(requestedMs);
}

function roundUpToTwoSignificantDigits(ms: number): number {
  const whole = Math.ceil(ms);
  if (whole < 100) return whole;
  const step = 10 ** (Math.floor(Math.log10(whole)) - 1);
  return Math.ceil(whole / step) * step;
}
