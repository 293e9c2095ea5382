import autocannon from 'autocannon';
import type { RoundResult } from '../ping-it-back/throughput-round';

/** autocannon's answers by status code: how many were 200 (accepted stage pings), and the others by code. */
export function countAnswers(statusCodeStats: Readonly<Record<string, { count?: number }>>): Pick<RoundResult, 'accepted' | 'otherStatuses'> {
  let accepted = 0;
  const otherStatuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(statusCodeStats)) {
    const count = stats.count ?? 0;
    if (count === 0) continue;
    if (code === '200') accepted += count;
    else otherStatuses[code] = count;
  }
  return { accepted, otherStatuses };
}

/**
 * One closed-loop autocannon round of GETs to `origin`, each to the next of `paths` in turn (one path per
 * workflow), so the connections spread their pings over the workflows. The result reads as a ping-it-back round.
 */
export async function runPingRound(options: {
  target: RoundResult['target'];
  origin: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
}): Promise<RoundResult> {
  let next = 0;
  const result = await autocannon({
    url: options.origin,
    method: 'GET',
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          request.path = options.paths[next++ % options.paths.length]!;
          return request;
        },
      },
    ],
  });
  const answers = countAnswers(result.statusCodeStats ?? {});
  return {
    target: options.target,
    seconds: result.duration,
    ...answers,
    acceptedPerSecond: answers.accepted / result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
