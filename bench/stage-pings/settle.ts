import { cpuSeconds } from '../ping-it-back/cpu-usage';

const SAMPLE_MS = 250;
/** Below this share of one core, summed over the processes, they count as idle (the tracker's clock and outbox poll). */
const IDLE_SHARE = 0.1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits (up to `maxSeconds`) until `pids` together use less than 10 % of a core: autocannon ends a round by closing
 * its sockets, and the pings already forwarded still run to their end in the tracker. Resolves with the seconds
 * waited.
 */
export async function waitUntilIdle(pids: readonly number[], maxSeconds: number): Promise<number> {
  const start = performance.now();
  const used = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  for (;;) {
    const before = used();
    await sleep(SAMPLE_MS);
    const waited = (performance.now() - start) / 1000;
    if (used() - before < (IDLE_SHARE * SAMPLE_MS) / 1000 || waited >= maxSeconds) return waited;
  }
}
