import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  redisFailOpen: Counter<'operation'>;
}

/** One registry per service process, with Node's default metrics and the HTTP latency histogram. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'pingback_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const redisFailOpen = new Counter({
    name: 'pingback_redis_fail_open_total',
    help: 'Operations that went ahead without Redis because it was unreachable',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, redisFailOpen };
}
