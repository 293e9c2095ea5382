import { Counter, Histogram, type Registry } from 'prom-client';

export interface BrokerMetrics {
  consumed: Counter<'queue'>;
  acked: Counter<'queue'>;
  retried: Counter<'queue'>;
  parked: Counter<'queue'>;
  publishDuration: Histogram<'exchange'>;
  /** Publishes RabbitMQ confirmed, by exchange ('' is the default exchange: retries and parking). */
  publishesConfirmed: Counter<'exchange'>;
}

/** Broker metrics on the given registry; without one they are kept but never exported. */
export function createBrokerMetrics(registry?: Registry): BrokerMetrics {
  const registers = registry ? [registry] : [];
  const counter = (name: string, help: string): Counter<'queue'> =>
    (registry?.getSingleMetric(name) as Counter<'queue'> | undefined) ??
    new Counter({ name, help, labelNames: ['queue'] as const, registers });
  const publishDurationName = 'pingback_publish_duration_seconds';
  const confirmedName = 'pingback_broker_publishes_confirmed_total';
  return {
    consumed: counter('pingback_messages_consumed_total', 'Messages delivered to a consumer'),
    acked: counter('pingback_messages_acked_total', 'Messages handled successfully and acknowledged'),
    retried: counter('pingback_messages_retried_total', 'Failed messages sent to a delay queue for another attempt'),
    parked: counter('pingback_messages_parked_total', 'Messages moved to a parking queue'),
    publishDuration:
      (registry?.getSingleMetric(publishDurationName) as Histogram<'exchange'> | undefined) ??
      new Histogram({
        name: publishDurationName,
        help: 'Time from publish to publisher confirm, failures included',
        labelNames: ['exchange'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
        registers,
      }),
    publishesConfirmed:
      (registry?.getSingleMetric(confirmedName) as Counter<'exchange'> | undefined) ??
      new Counter({ name: confirmedName, help: 'Publishes RabbitMQ confirmed, by exchange', labelNames: ['exchange'] as const, registers }),
  };
}
