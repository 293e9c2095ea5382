import { CommonConfig } from '@pingback/config';

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
  /** The raw HTTP baseline: POSTs from one process to the loopback sink, this many at a time, for this long. */
  rawSeconds: number;
  rawConcurrency: number;
  /** Delivery latency at a low rate (issue 11: 50 sends/s), for lowRateSeconds. */
  lowRatePerSecond: number;
  lowRateSeconds: number;
  /** Sustained end to end: the open-loop rates tried in turn, each for stepSeconds, then up to stepDrainSeconds for arrivals. */
  sustainedRates: number[];
  stepSeconds: number;
  stepDrainSeconds: number;
  /** The fan-out whose work budget is measured, and the large one whose delivery rate and memory are. */
  budgetFanoutDestinations: number;
  fanoutDestinations: number;
  /** How long the large fan-out may take before the run reports what arrived. */
  fanoutTimeoutSeconds: number;
  /** Management API requests at a time while adding the fan-out destinations. */
  destinationConcurrency: number;
  /** The memory soak at half the sustained rate; 0 leaves it out. */
  soakMinutes: number;
  /** BENCH_CPU_PROFILE=1: every service runs with V8's CPU profiler, and the run ends with where their time went. */
  cpuProfile: boolean;
  /** The services' LOG_LEVEL: warn as in production; BENCH_LOG_LEVEL=info shows why messages were retried. */
  logLevel: string;
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`bench: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  }
  return value;
}

const positiveNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number) => numberSetting(env, name, fallback, false);

function rateList(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return [...fallback];
  const rates = raw.split(',').map((part) => Number(part.trim()));
  if (rates.some((rate) => !Number.isFinite(rate) || rate <= 0)) throw new Error(`bench: ${name} must be positive numbers separated by commas, got "${raw}"`);
  return rates.sort((a, b) => a - b);
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    rounds: Math.round(positiveNumber(env, 'BENCH_ROUNDS', 3)),
    roundSeconds: positiveNumber(env, 'BENCH_ROUND_SECONDS', 5),
    connections: Math.round(positiveNumber(env, 'BENCH_CONNECTIONS', 50)),
    latencyRatePerSecond: positiveNumber(env, 'BENCH_RATE', 500),
    latencySeconds: positiveNumber(env, 'BENCH_LATENCY_SECONDS', 10),
    steadyFraction: numberSetting(env, 'BENCH_STEADY_FRACTION', 0.5, true),
    steadySeconds: positiveNumber(env, 'BENCH_STEADY_SECONDS', 10),
    drainSeconds: positiveNumber(env, 'BENCH_DRAIN_SECONDS', 15),
    quietSeconds: positiveNumber(env, 'BENCH_QUIET_SECONDS', 15),
    rawSeconds: positiveNumber(env, 'BENCH_RAW_SECONDS', 5),
    rawConcurrency: Math.round(positiveNumber(env, 'BENCH_RAW_CONCURRENCY', 64)),
    lowRatePerSecond: positiveNumber(env, 'BENCH_LOW_RATE', 50),
    lowRateSeconds: positiveNumber(env, 'BENCH_LOW_RATE_SECONDS', 10),
    sustainedRates: rateList(env, 'BENCH_SUSTAINED_RATES', [25, 50, 100, 200, 400, 700, 1000, 1500, 2000, 3000]),
    stepSeconds: positiveNumber(env, 'BENCH_STEP_SECONDS', 10),
    stepDrainSeconds: positiveNumber(env, 'BENCH_STEP_DRAIN_SECONDS', 5),
    budgetFanoutDestinations: Math.round(positiveNumber(env, 'BENCH_BUDGET_FANOUT_DESTINATIONS', 1_000)),
    fanoutDestinations: Math.round(positiveNumber(env, 'BENCH_FANOUT_DESTINATIONS', 10_000)),
    fanoutTimeoutSeconds: positiveNumber(env, 'BENCH_FANOUT_TIMEOUT_SECONDS', 180),
    destinationConcurrency: Math.round(positiveNumber(env, 'BENCH_DESTINATION_CONCURRENCY', 16)),
    soakMinutes: numberSetting(env, 'BENCH_SOAK_MINUTES', 10, true),
    cpuProfile: env.BENCH_CPU_PROFILE === '1' || env.BENCH_CPU_PROFILE === 'true',
    logLevel: env.BENCH_LOG_LEVEL || 'warn',
  };
}

/** What a service uses when the variable is not set: the production value of a setting the test stack changes. */
const serviceDefault = (name: 'PINGBACK_DB_POOL_SIZE' | 'PINGBACK_DB_POOL_WARM') => String(CommonConfig.shape[name].parse(undefined));

/** The service environment a run uses: production settings, only limits raised (CONTRACT §4). */
export const PRODUCTION_OVERRIDES: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  // The production retry schedules and infrastructure retry pauses (the test stack shortens both).
  PINGBACK_RETRY_SCHEDULES: '',
  PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: '',
  // The production Postgres pools (the test stack makes them small, so that test files fit beside each other).
  PINGBACK_DB_POOL_SIZE: serviceDefault('PINGBACK_DB_POOL_SIZE'),
  PINGBACK_DB_POOL_WARM: serviceDefault('PINGBACK_DB_POOL_WARM'),
  // Rate limits are configuration, not durability: a benchmark may raise them.
  PINGBACK_SEND_RATE_PER_MINUTE: '100000000',
  // The webhook destination is a receiver on loopback; without this the SSRF guard refuses it (CONTRACT §6).
  PINGBACK_ALLOW_PRIVATE_TARGETS: 'true',
};

/** The gateway's cap on destinations per channel, raised so the fan-out channels fit (a limit, not durability). */
export const destinationCapOverride = (settings: BenchSettings): Record<string, string> => ({
  PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: String(Math.max(settings.budgetFanoutDestinations, settings.fanoutDestinations)),
});

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
