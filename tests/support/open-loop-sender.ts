import { performance } from 'node:perf_hooks';
import { timedSend, type SendOutcome } from './steady-sender';

/**
 * Sends at a fixed rate whatever the edge answers (open loop): send n is due at start + n / rate and goes out
 * then, answered or not the ones before it, so a stalled edge cannot slow the load down and hide a stall.
 * Records every outcome.
 */
export function startOpenLoopSender(url: string, options: { ratePerSecond: number; timeoutMs?: number; titlePrefix?: string }) {
  const outcomes: SendOutcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / options.ratePerSecond;
  const startedAt = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - startedAt) / intervalMs) + 1;
    for (; sent < due; sent += 1) {
      const send = timedSend(url, `${options.titlePrefix ?? 'open loop'} ${sent}`, options.timeoutMs).then((outcome) => void outcomes.push(outcome));
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send));
    }
  }, Math.min(10, intervalMs));
  return {
    outcomes,
    /** Sends nothing more and resolves with every outcome once each send in flight has its answer. */
    async stop(): Promise<SendOutcome[]> {
      clearInterval(timer);
      await Promise.all(inFlight);
      return outcomes;
    },
  };
}

export type OpenLoopSender = ReturnType<typeof startOpenLoopSender>;
