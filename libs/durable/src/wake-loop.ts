import type { DurableLogger } from './sql-client';

export interface RoundResult {
  /** A full batch was taken: go again at once. */
  more: boolean;
  /** When the next piece of work falls due (milliseconds from now), if it is known and sooner than the interval. */
  nextDueInMs?: number;
}

export interface WakeLoopOptions {
  name: string;
  /** The longest sleep between rounds; also the wait after a failed round. */
  intervalMs: number;
  round(): Promise<RoundResult>;
  logger: DurableLogger;
}

export interface WakeLoop {
  start(): void;
  /** Run a round now (or right after the one under way): something was just committed. */
  kick(): void;
  /** Resolves once the loop is idle, every kick before the call included. For tests and shutdown. */
  settled(): Promise<void>;
  /** No new round starts; resolves when the one under way has finished. Safe to call when start() never ran. */
  stop(): Promise<void>;
}

/**
 * Runs `round` until it reports no more work, then sleeps until the interval, the next due time or a kick,
 * whichever comes first. One round at a time per process; a kick during a round earns one more round.
 */
export function createWakeLoop(options: WakeLoopOptions): WakeLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  function sleep(ms: number): void {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(wake, ms);
  }

  async function rounds(): Promise<number> {
    try {
      let result: RoundResult;
      do {
        again = false;
        result = await options.round();
      } while ((result.more || again) && !stopped);
      return Math.max(0, Math.min(options.intervalMs, result.nextDueInMs ?? options.intervalMs));
    } catch (err) {
      options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${options.name} will retry`);
      return options.intervalMs;
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = rounds().then((sleepMs) => {
      running = undefined;
      if (again) wake();
      else sleep(sleepMs);
    });
  }

  return {
    start() {
      stopped = false;
      wake();
    },
    kick: wake,
    async settled() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
