import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface DelivererMetrics {
  attempts: Counter<'purpose' | 'outcome'>;
  attemptDuration: Histogram<'purpose'>;
  signerCache: Counter<'event'>;
  signerCacheEntries: Gauge;
  connectionsOpened: Counter;
  endpointsDisabled: Counter<'reason'>;
}

export function createDelivererMetrics(registry: Registry, read: { signerCacheSize(): number }): DelivererMetrics {
  return {
    attempts: new Counter({
      name: 'pingback_webhook_attempts_total',
      help: 'Outgoing webhook attempts by purpose and what they came to (succeeded, retrying, failed)',
      labelNames: ['purpose', 'outcome'] as const,
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'pingback_webhook_attempt_duration_seconds',
      help: 'Time from sending an outgoing webhook to its answer, timeout or connection error',
      labelNames: ['purpose'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    signerCache: new Counter({
      name: 'pingback_signer_cache_events_total',
      help: 'Signing-secret cache: hits, misses (a call to the owner), entries forgotten on signer.rotated, clears on reconnect',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    connectionsOpened: new Counter({
      name: 'pingback_outgoing_connections_total',
      help: 'New TCP connections opened for outgoing POSTs (the rest reuse kept-alive ones)',
      registers: [registry],
    }),
    endpointsDisabled: new Counter({
      name: 'pingback_endpoints_disabled_total',
      help: 'Registered endpoints switched off by this process, by reason (gone: a 410; consecutive_failures)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    signerCacheEntries: new Gauge({
      name: 'pingback_signer_cache_entries',
      help: 'Signers whose secrets this process has cached',
      registers: [registry],
      collect() {
        this.set(read.signerCacheSize());
      },
    }),
  };
}
