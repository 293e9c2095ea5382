import { loadSettings as loadPingItBackSettings } from '../ping-it-back/settings';

/** What one run does. Each figure can be changed by environment, e.g. BENCH_ROUND_SECONDS=3 for a quick look. */
export interface StagePingSettings {
  /** Alternating rounds, each one baseline round then one gateway round (BENCH_ROUNDS, as the ping-it-back bench). */
  rounds: number;
  roundSeconds: number;
  connections: number;
  /** Static workflows the pings go round (each ping of stage 1 starts and completes an instance of one of them). */
  workflows: number;
  /** The gateway's per-account limit on seed 002's routes, raised so it is not what the rounds measure. */
  seed002RatePerMinute: number;
  /** The checker pass: monitors that exist, and how many of them fall due at once. */
  monitors: number;
  dueMonitors: number;
  /** How long the due monitors may take before the run reports how many were left. */
  checkerTimeoutSeconds: number;
  /** EXPLAIN ANALYZE runs of the claim query per table size (the median is printed). */
  claimRuns: number;
  cpuProfile: boolean;
  logLevel: string;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench: ${name} must be a whole number of at least 1, got "${raw}"`);
  return value;
}

export function loadStagePingSettings(env: NodeJS.ProcessEnv = process.env): StagePingSettings {
  // The settings both benchmarks share keep the ping-it-back bench's names, defaults and checks.
  const { rounds, roundSeconds, connections, cpuProfile, logLevel } = loadPingItBackSettings(env);
  const settings = {
    rounds,
    roundSeconds,
    connections,
    workflows: wholeNumber(env, 'BENCH_WORKFLOWS', connections),
    seed002RatePerMinute: wholeNumber(env, 'BENCH_SEED002_RATE_PER_MINUTE', 100_000_000),
    monitors: wholeNumber(env, 'BENCH_MONITORS', 100_000),
    dueMonitors: wholeNumber(env, 'BENCH_DUE_MONITORS', 1_000),
    checkerTimeoutSeconds: wholeNumber(env, 'BENCH_CHECKER_TIMEOUT_SECONDS', 120),
    claimRuns: wholeNumber(env, 'BENCH_CLAIM_RUNS', 5),
    cpuProfile,
    logLevel,
  };
  if (settings.dueMonitors > settings.monitors) throw new Error(`bench: BENCH_DUE_MONITORS (${settings.dueMonitors}) must not exceed BENCH_MONITORS (${settings.monitors})`);
  return settings;
}
