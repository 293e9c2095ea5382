import { fetchMetrics, isExported, samplesOf } from './prometheus-text';

/**
 * The services' own counters of the work a send costs (issue 11, item 2). Each is summed over its labels; `by`
 * names the label whose values the report breaks it down by.
 */
export const WORK_COUNTERS = [
  { name: 'pingback_broker_publishes_confirmed_total', title: 'confirmed publishes', by: 'exchange' },
  { name: 'pingback_db_commits_total', title: 'Postgres commits' },
  { name: 'pingback_internal_calls_total', title: 'internal HTTP calls', by: 'target' },
  { name: 'pingback_outgoing_connections_total', title: 'new outgoing TCP connections' },
] as const satisfies readonly { name: string; title: string; by?: string }[];

export type WorkCounterName = (typeof WORK_COUNTERS)[number]['name'];

export interface CounterReading {
  exported: boolean;
  total: number;
  /** By the value of the counter's `by` label; '' is a label value too (the default exchange). */
  byLabel: Map<string, number>;
}

export type ProcessCounters = Map<WorkCounterName, CounterReading>;

/** One process's work counters, read from its internal /metrics. */
export async function readWorkCounters(healthUrl: string): Promise<ProcessCounters> {
  const metrics = await fetchMetrics(healthUrl);
  const readings: ProcessCounters = new Map();
  for (const counter of WORK_COUNTERS) {
    const reading: CounterReading = { exported: isExported(metrics, counter.name), total: 0, byLabel: new Map() };
    for (const { labels, value } of samplesOf(metrics, counter.name)) {
      reading.total += value;
      if ('by' in counter) {
        const key = labels[counter.by] ?? '';
        reading.byLabel.set(key, (reading.byLabel.get(key) ?? 0) + value);
      }
    }
    readings.set(counter.name, reading);
  }
  return readings;
}

/** What each counter counted between two readings of the same process. */
export function counterDelta(before: ProcessCounters, after: ProcessCounters): ProcessCounters {
  const delta: ProcessCounters = new Map();
  for (const [name, late] of after) {
    const early = before.get(name);
    const byLabel = new Map<string, number>();
    for (const [key, value] of late.byLabel) byLabel.set(key, value - (early?.byLabel.get(key) ?? 0));
    delta.set(name, { exported: late.exported, total: late.total - (early?.total ?? 0), byLabel });
  }
  return delta;
}

/**
 * `delta` less `rate` (per second) over `seconds`, never below 0: a phase's counts without the work the
 * services do anyway (an outbox relay or a deadline sweeper commits on every wake-up, sends or not).
 */
export function withoutBackground(delta: ProcessCounters, rate: ProcessCounters, seconds: number): ProcessCounters {
  const net: ProcessCounters = new Map();
  for (const [name, reading] of delta) {
    const background = rate.get(name);
    const byLabel = new Map<string, number>();
    for (const [key, value] of reading.byLabel) byLabel.set(key, Math.max(0, value - (background?.byLabel.get(key) ?? 0) * seconds));
    net.set(name, { exported: reading.exported, total: Math.max(0, reading.total - (background?.total ?? 0) * seconds), byLabel });
  }
  return net;
}

/** Counts per second between two readings `seconds` apart. */
export function ratePerSecond(before: ProcessCounters, after: ProcessCounters, seconds: number): ProcessCounters {
  const rate = counterDelta(before, after);
  for (const reading of rate.values()) {
    reading.total /= seconds;
    for (const [key, value] of reading.byLabel) reading.byLabel.set(key, value / seconds);
  }
  return rate;
}
