import type { RunningService } from '@pingback/testing';
import { request, type JsonResponse } from './api';
import type { ServiceName, Stack } from './stack';

export interface Readiness {
  status: string;
  checks: Record<string, 'ok' | 'degraded' | 'down'>;
}

/** GET /readyz on a service's internal health port, as an operator's probe would. */
export function readiness(stack: Stack, name: ServiceName = 'ingest-gateway'): Promise<JsonResponse<Readiness>> {
  const service = stack.services.get(name);
  if (!service) throw new Error(`${name} is not running in this stack`);
  return request<Readiness>(`http://127.0.0.1:${service.healthPort}/readyz`);
}

/**
 * The value of one sample on a service's /metrics (Prometheus text), or 0 when it has not been counted yet.
 * `labels` must all match; other labels on the sample are ignored.
 */
export async function metricValue(stack: Stack, name: ServiceName, metric: string, labels: Record<string, string> = {}): Promise<number> {
  const service = stack.services.get(name);
  if (!service) throw new Error(`${name} is not running in this stack`);
  return copyMetricValue(service, metric, labels);
}

/** metricValue of one process: one copy of a service that runs several (Stack.copies). */
export async function copyMetricValue(service: RunningService, metric: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== metric) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((label) => present.includes(label))) total += Number(match[3]);
  }
  return total;
}
