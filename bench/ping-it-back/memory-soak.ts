import type { ArrivalReceiver } from './arrival-receiver';
import { measureDeliveryLatency, type DeliveryLatencyResult } from './delivery-latency';
import { rssNow, type WatchedProcess } from './process-memory';

export type RssReading = Map<string, number | undefined>;

export interface SoakResult {
  ratePerSecond: number;
  minutes: number;
  latency: DeliveryLatencyResult;
  rss: { start: RssReading; middle: RssReading; end: RssReading };
}

/**
 * "Flat": from the middle of the soak to its end, a process's RSS grew by at most the larger of these. The
 * first half is left out on purpose: it holds the warm-up (JIT, pools, caches filling), which is growth that stops.
 */
export const FLAT_GROWTH = { bytes: 20 * 2 ** 20, fraction: 0.1 };

export function isFlat(middle: number | undefined, end: number | undefined): boolean | undefined {
  if (middle === undefined || end === undefined) return undefined;
  return end - middle <= Math.max(FLAT_GROWTH.bytes, FLAT_GROWTH.fraction * middle);
}

/**
 * Sends at a steady rate (open loop) for `minutes`, reading every watched process's RSS at the start, half way
 * and when the last send is due.
 */
export async function runMemorySoak(options: {
  sendUrl: string;
  body: unknown;
  receiver: ArrivalReceiver;
  ratePerSecond: number;
  minutes: number;
  drainSeconds: number;
  processes: readonly WatchedProcess[];
}): Promise<SoakResult> {
  const seconds = options.minutes * 60;
  const start = rssNow(options.processes);
  let middle: RssReading | undefined;
  let end: RssReading | undefined;
  const timers = [
    setTimeout(() => (middle = rssNow(options.processes)), (seconds * 1000) / 2),
    setTimeout(() => (end = rssNow(options.processes)), seconds * 1000),
  ];
  const latency = await measureDeliveryLatency({ ...options, seconds });
  timers.forEach(clearTimeout);
  middle ??= rssNow(options.processes);
  end ??= rssNow(options.processes);
  return { ratePerSecond: options.ratePerSecond, minutes: options.minutes, latency, rss: { start, middle, end } };
}
