import { counterDelta, ratePerSecond, readWorkCounters, withoutBackground, type ProcessCounters } from './work-counters';

export interface ServiceEndpoint {
  label: string;
  /** The service's internal port: /healthz, /readyz, /metrics. */
  healthUrl: string;
}

export interface WorkBudget {
  /** Sends the gateway answered 200 during the phase (its own /metrics). */
  sends: number;
  /** What each process's counters counted over the phase and the work it left behind, background taken out. */
  perProcess: Map<string, ProcessCounters>;
  /** What the services counted per second at rest just before the phase (timer-driven work), all processes together. */
  backgroundPerSecond: Map<string, number>;
  /** From the first reading to the last: the window the background was taken out of. */
  seconds: number;
  /** False when the counters were still moving faster than at rest at the deadline: some trailing work is missing. */
  settled: boolean;
  /** False when earlier work was still being published when the phase began: the background then holds some of it. */
  startedAtRest: boolean;
}

const BACKGROUND_MS = 2_000;
const REST_MAX_MS = 60_000;
const SETTLE_POLL_MS = 500;
const SETTLE_QUIET_MS = 1_500;
const SETTLE_MAX_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Readings = Map<string, ProcessCounters>;

async function readAll(services: readonly ServiceEndpoint[]): Promise<Readings> {
  const readings = await Promise.all(services.map(async ({ label, healthUrl }) => [label, await readWorkCounters(healthUrl)] as const));
  return new Map(readings);
}

/**
 * At rest: nothing published between two readings. Publishes come only from work (a send, its outcome, a
 * retry); commits also come from timers, which is why they are measured at rest rather than required to be 0.
 */
function nothingPublished(earlier: Readings, later: Readings): boolean {
  for (const [label, counters] of later) {
    if ((counterDelta(earlier.get(label)!, counters).get('pingback_broker_publishes_confirmed_total')?.total ?? 0) > 0) return false;
  }
  return true;
}

/** Whether every counter moved by no more than its rate at rest (plus one) between two readings. */
function atRest(earlier: Readings, later: Readings, background: Readings, seconds: number): boolean {
  for (const [label, counters] of later) {
    for (const [name, reading] of counterDelta(earlier.get(label)!, counters)) {
      if (reading.total > (background.get(label)?.get(name)?.total ?? 0) * seconds + 1) return false;
    }
  }
  return true;
}

/**
 * Reads the counters until they move no faster than at rest: a webhook's arrival is not the end of a send's
 * work (its outcome is recorded and published after the POST), and the budget should hold all of it.
 */
async function settledReadings(services: readonly ServiceEndpoint[], background: Readings): Promise<{ readings: Readings; settled: boolean }> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  const history: { at: number; readings: Readings }[] = [{ at: performance.now(), readings: await readAll(services) }];
  while (performance.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    const latest = { at: performance.now(), readings: await readAll(services) };
    history.push(latest);
    // The latest reading at least SETTLE_QUIET_MS old: the counters since then must have moved only at rest.
    const windowStart = [...history].reverse().find((entry) => latest.at - entry.at >= SETTLE_QUIET_MS);
    if (windowStart && atRest(windowStart.readings, latest.readings, background, (latest.at - windowStart.at) / 1000)) {
      return { readings: latest.readings, settled: true };
    }
  }
  return { readings: history.at(-1)!.readings, settled: false };
}

/**
 * Runs `work` between two readings of every service's work counters; the second waits until the work the phase
 * caused has settled. Before it, the counters are read BACKGROUND_MS apart until nothing was published in
 * between (earlier work is done, up to REST_MAX_MS), and that rate at rest is taken out of the whole window.
 * `acceptedSends` reads the gateway's count of 200 answers to sends, the divisor.
 */
export async function measureWorkBudget<T>(
  services: readonly ServiceEndpoint[],
  acceptedSends: () => Promise<number>,
  work: () => Promise<T>,
): Promise<{ result: T; budget: WorkBudget }> {
  const restDeadline = performance.now() + REST_MAX_MS;
  let rest = await readAll(services);
  let before: Readings;
  let startedAtRest: boolean;
  for (;;) {
    await sleep(BACKGROUND_MS);
    before = await readAll(services);
    startedAtRest = nothingPublished(rest, before);
    if (startedAtRest || performance.now() >= restDeadline) break;
    rest = before;
  }
  const background: Readings = new Map([...before].map(([label, counters]) => [label, ratePerSecond(rest.get(label)!, counters, BACKGROUND_MS / 1000)]));
  const start = performance.now();
  const sendsBefore = await acceptedSends();
  const result = await work();
  const { readings: after, settled } = await settledReadings(services, background);
  const seconds = (performance.now() - start) / 1000;
  const perProcess = new Map<string, ProcessCounters>();
  for (const [label, counters] of after) perProcess.set(label, withoutBackground(counterDelta(before.get(label)!, counters), background.get(label)!, seconds));
  const backgroundPerSecond = new Map<string, number>();
  for (const counters of background.values()) {
    for (const [name, reading] of counters) backgroundPerSecond.set(name, (backgroundPerSecond.get(name) ?? 0) + reading.total);
  }
  return { result, budget: { sends: (await acceptedSends()) - sendsBefore, perProcess, backgroundPerSecond, seconds, settled, startedAtRest } };
}
