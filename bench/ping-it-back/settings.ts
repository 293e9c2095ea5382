/** What a run does. Each figure can be changed by environment, e.g. BENCH_ROUND_SECONDS=5 for a quick look. */
export interface BenchSettings {
  /** Throughput: alternating rounds, each one baseline round then one gateway round. */
  rounds: number;
  roundSeconds: number;
  connections: number;
  /** Delivery latency: the open-loop send rate and for how long. */
  latencyRatePerSecond: number;
  latencySeconds: number;
  /**
   * Before the fixed rate: the same measurement at this fraction of the gateway's measured median rate, for
   * steadySeconds, so the run shows latency at a rate this machine sustains as well (0 leaves it out).
   */
  steadyFraction: number;
  steadySeconds: number;
  /** How long to wait, after the last scheduled send, for deliveries still on their way. */
  drainSeconds: number;
  /** Before each baseline round, how long to wait at most for the services to work off their queues. */
  quietSeconds: number;
  /** BENCH_CPU_PROFILE=1: every service runs with V8's CPU profiler, and the run ends with where their time went. */
  cpuProfile: boolean;
  /** The services' LOG_LEVEL: warn as in production; BENCH_LOG_LEVEL=info shows why messages were retried. */
  logLevel: string;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench: ${name} must be a positive number, got "${raw}"`);
  return value;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    rounds: Math.round(positiveNumber(env, 'BENCH_ROUNDS', 3)),
    roundSeconds: positiveNumber(env, 'BENCH_ROUND_SECONDS', 10),
    connections: Math.round(positiveNumber(env, 'BENCH_CONNECTIONS', 50)),
    latencyRatePerSecond: positiveNumber(env, 'BENCH_RATE', 500),
    latencySeconds: positiveNumber(env, 'BENCH_LATENCY_SECONDS', 20),
    steadyFraction: env.BENCH_STEADY_FRACTION === '0' ? 0 : positiveNumber(env, 'BENCH_STEADY_FRACTION', 0.5),
    steadySeconds: positiveNumber(env, 'BENCH_STEADY_SECONDS', 10),
    drainSeconds: positiveNumber(env, 'BENCH_DRAIN_SECONDS', 20),
    quietSeconds: positiveNumber(env, 'BENCH_QUIET_SECONDS', 15),
    cpuProfile: env.BENCH_CPU_PROFILE === '1' || env.BENCH_CPU_PROFILE === 'true',
    logLevel: env.BENCH_LOG_LEVEL || 'warn',
  };
}

/** The service environment a run uses: production settings, only the send rate limit raised (CONTRACT §4). */
export const PRODUCTION_OVERRIDES: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  // The production retry schedules (the test stack shortens them).
  PINGBACK_RETRY_SCHEDULES: '',
  // Rate limits are configuration, not durability: a benchmark may raise them.
  PINGBACK_SEND_RATE_PER_MINUTE: '100000000',
  // The webhook destination is a receiver on loopback; without this the SSRF guard refuses it (CONTRACT §6).
  PINGBACK_ALLOW_PRIVATE_TARGETS: 'true',
};

/** A realistic send: a title, a body and two buttons. */
export const SEND_BODY = {
  title: 'Deploy api-gateway v2.14.0 to production?',
  body: 'Build #4812 passed 1,204 checks on main (3 commits since the last deploy). Approve to roll out to eu-west and us-east.',
  priority: 'high',
  actions: [
    { type: 'button', label: 'Deploy', key: 'deploy', style: 'primary' },
    { type: 'button', label: 'Cancel', key: 'cancel', style: 'destructive' },
  ],
};
