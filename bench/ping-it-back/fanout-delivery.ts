import { request } from '../../tests/support/api';
import type { ArrivalReceiver } from './arrival-receiver';
import { watchPeakRss, type WatchedProcess } from './process-memory';

export interface FanoutResult {
  destinations: number;
  /** The send's answer: 200 with an id, or what it was instead. */
  status: number;
  error?: string;
  answerMs: number;
  arrived: number;
  duplicates: number;
  /** From the send to the first and to the last delivery that arrived. */
  firstArrivalMs: number;
  lastArrivalMs: number;
  /** Deliveries that arrived per second, from the send to the last arrival. */
  deliveriesPerSecond: number;
  /** False when the timeout came before every destination had its delivery. */
  complete: boolean;
  /** Each watched process's highest RSS while the fan-out ran. */
  peakRss: Map<string, number | undefined>;
}

/**
 * One send to a channel with `destinations` webhook destinations, all on `receiver` (which counts by
 * delivery_id), timed until every delivery arrived or `timeoutSeconds` passed.
 */
export async function measureFanout(options: {
  sendUrl: string;
  body: unknown;
  receiver: ArrivalReceiver;
  destinations: number;
  timeoutSeconds: number;
  processes: readonly WatchedProcess[];
}): Promise<FanoutResult> {
  const { receiver } = options;
  const before = new Set(receiver.arrivals.keys());
  const duplicatesBefore = receiver.duplicates;
  const memory = watchPeakRss(options.processes);
  const start = performance.now();
  const answer = await request<{ id?: string; error?: string }>(options.sendUrl, { body: options.body });
  const answerMs = performance.now() - start;
  const newArrivals = () => receiver.arrivals.size - before.size;
  const deadline = start + options.timeoutSeconds * 1000;
  if (answer.status === 200) {
    while (newArrivals() < options.destinations && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const peakRss = memory.stop();
  const times = [...receiver.arrivals].filter(([id]) => !before.has(id)).map(([, at]) => at - start);
  const lastArrivalMs = times.length ? times.reduce((latest, at) => Math.max(latest, at)) : Number.NaN;
  return {
    destinations: options.destinations,
    status: answer.status,
    ...(answer.body.error !== undefined && { error: answer.body.error }),
    answerMs,
    arrived: times.length,
    duplicates: receiver.duplicates - duplicatesBefore,
    firstArrivalMs: times.length ? times.reduce((first, at) => Math.min(first, at)) : Number.NaN,
    lastArrivalMs,
    deliveriesPerSecond: times.length ? times.length / (lastArrivalMs / 1000) : 0,
    complete: times.length >= options.destinations,
    peakRss,
  };
}
