import { counterDelta, readWorkCounters, type ProcessCounters } from './work-counters';

export interface ServiceEndpoint {
  label: string;
  /** The service's internal port: /healthz, /readyz, /metrics. */
  healthUrl: string;
}

export interface WorkBudget {
  /** Sends the gateway answered 200 during the phase (its own /metrics). */
  sends: number;
  /** What each process's counters counted over the phase and the work it left behind. */
  perProcess: Map<string, ProcessCounters>;
  /** False when the counters were still moving at the deadline: the figures then miss some trailing work. */
  settled: boolean;
}

const SETTLE_POLL_MS = 500;
const SETTLE_QUIET_MS = 1_500;
const SETTLE_MAX_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readAll(services: readonly ServiceEndpoint[]): Promise<Map<string, ProcessCounters>> {
  const readings = await Promise.all(services.map(async ({ label, healthUrl }) => [label, await readWorkCounters(healthUrl)] as const));
  return new Map(readings);
}

const fingerprint = (readings: Map<string, ProcessCounters>) =>
  JSON.stringify([...readings].map(([label, counters]) => [label, [...counters].map(([name, reading]) => [name, reading.total])]));

/**
 * Reads the counters until none moved for a while: a webhook's arrival is not the end of a send's work (its
 * outcome is recorded and published after the POST), and the budget should hold all of it.
 */
async function settledReadings(services: readonly ServiceEndpoint[]): Promise<{ readings: Map<string, ProcessCounters>; settled: boolean }> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  let readings = await readAll(services);
  let unchangedSince = performance.now();
  while (performance.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    const next = await readAll(services);
    if (fingerprint(next) !== fingerprint(readings)) unchangedSince = performance.now();
    readings = next;
    if (performance.now() - unchangedSince >= SETTLE_QUIET_MS) return { readings, settled: true };
  }
  return { readings, settled: false };
}

/**
 * Runs `work` between two readings of every service's work counters; the second waits until the work the phase
 * caused has settled. `acceptedSends` reads the gateway's count of 200 answers to sends, the budget's divisor.
 */
export async function measureWorkBudget<T>(
  services: readonly ServiceEndpoint[],
  acceptedSends: () => Promise<number>,
  work: () => Promise<T>,
): Promise<{ result: T; budget: WorkBudget }> {
  const before = await readAll(services);
  const sendsBefore = await acceptedSends();
  const result = await work();
  const { readings: after, settled } = await settledReadings(services);
  const perProcess = new Map<string, ProcessCounters>();
  for (const [label, counters] of after) perProcess.set(label, counterDelta(before.get(label)!, counters));
  return { result, budget: { sends: (await acceptedSends()) - sendsBefore, perProcess, settled } };
}
