import { fetchMetrics, samplesOf } from './prometheus-text';

/** Retried and parked message counts per queue, as the consuming services' own /metrics count them. */
export interface BrokerFailures {
  retried: Map<string, number>;
  parked: Map<string, number>;
}

/**
 * Adds up pingback_messages_retried_total and pingback_messages_parked_total across the services. A retry is
 * logged at info only, so at LOG_LEVEL=warn these counters are the one place it shows.
 */
export async function readBrokerFailures(healthUrls: readonly string[]): Promise<BrokerFailures> {
  const failures: BrokerFailures = { retried: new Map(), parked: new Map() };
  for (const url of healthUrls) {
    const metrics = await fetchMetrics(url);
    for (const [name, counts] of [
      ['pingback_messages_retried_total', failures.retried],
      ['pingback_messages_parked_total', failures.parked],
    ] as const) {
      for (const { labels, value } of samplesOf(metrics, name)) {
        if (value > 0) counts.set(labels.queue ?? '?', (counts.get(labels.queue ?? '?') ?? 0) + value);
      }
    }
  }
  return failures;
}
