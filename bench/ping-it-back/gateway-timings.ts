import { fetchMetrics, samplesOf } from './prometheus-text';

/** Sums and counts from the gateway's own /metrics: how long its sends took inside it, and their confirm waits. */
export interface GatewayTimings {
  sendSeconds: number;
  sends: number;
  publishSeconds: number;
  publishes: number;
  /** Rate-limit checks that gave up on Redis and let the send through (fail open). */
  redisFailOpen: number;
}

function sumOf(metrics: string, name: string, labelsMatch: (labels: Record<string, string>) => boolean = () => true): number {
  return samplesOf(metrics, name)
    .filter((sample) => labelsMatch(sample.labels))
    .reduce((sum, sample) => sum + sample.value, 0);
}

const sendRoute = (labels: Record<string, string>) => labels.route === '/v1/send/:token' && labels.status === '200';

export async function readGatewayTimings(healthUrl: string): Promise<GatewayTimings> {
  const metrics = await fetchMetrics(healthUrl);
  return {
    sendSeconds: sumOf(metrics, 'pingback_http_request_duration_seconds_sum', sendRoute),
    sends: sumOf(metrics, 'pingback_http_request_duration_seconds_count', sendRoute),
    publishSeconds: sumOf(metrics, 'pingback_publish_duration_seconds_sum'),
    publishes: sumOf(metrics, 'pingback_publish_duration_seconds_count'),
    redisFailOpen: sumOf(metrics, 'pingback_redis_fail_open_total'),
  };
}

/** Adds up what changed between two readings, over one or more spans (all gateway rounds). */
export class GatewayTimingAccount {
  readonly total: GatewayTimings = { sendSeconds: 0, sends: 0, publishSeconds: 0, publishes: 0, redisFailOpen: 0 };

  add(before: GatewayTimings, after: GatewayTimings): void {
    for (const key of Object.keys(this.total) as (keyof GatewayTimings)[]) this.total[key] += after[key] - before[key];
  }

  meanSendMs(): number {
    return (1000 * this.total.sendSeconds) / this.total.sends;
  }

  meanConfirmMs(): number {
    return (1000 * this.total.publishSeconds) / this.total.publishes;
  }
}
