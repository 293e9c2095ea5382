import autocannon from 'autocannon';

export interface RoundResult {
  target: 'baseline' | 'gateway';
  seconds: number;
  /** 200 answers per second: only those count as accepted sends. */
  acceptedPerSecond: number;
  accepted: number;
  /** Answers other than 200, by status code. */
  otherStatuses: Record<string, number>;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p99: number; max: number };
}

export interface RoundOptions {
  target: RoundResult['target'];
  url: string;
  body: unknown;
  connections: number;
  seconds: number;
  /** Called with the id of every 200 answer (reading the bodies costs the load generator a little CPU). */
  onAccepted?: (messageId: string) => void;
}

/** One closed-loop autocannon round of POSTs against `url`. */
export async function runRound(options: RoundOptions): Promise<RoundResult> {
  const { onAccepted } = options;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options.body),
    connections: options.connections,
    duration: options.seconds,
    ...(onAccepted && {
      requests: [
        {
          onResponse: (status: number, body: string) => {
            if (status === 200) onAccepted((JSON.parse(body) as { id: string }).id);
          },
        },
      ],
    }),
  });
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0] as const);
  const accepted = statuses.find(([code]) => code === '200')?.[1] ?? 0;
  return {
    target: options.target,
    seconds: result.duration,
    accepted,
    acceptedPerSecond: accepted / result.duration,
    otherStatuses: Object.fromEntries(statuses.filter(([code, count]) => code !== '200' && count > 0)),
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
