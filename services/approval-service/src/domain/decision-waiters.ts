import type { Logger } from '@pingback/observability';
import type { Redis } from '@pingback/redis';

/**
 * Polls that wait for a decision (`GET /api/approvals/{id}?wait=N`) hold no database connection: they sleep here
 * until a decision is announced or their nap ends, then read again. A decision made in any copy is announced to
 * every copy over Redis pub/sub; the wake-up is only a hint (the read decides what is answered), so a lost one
 * costs a nap's delay, never a wrong answer.
 */
export interface DecisionWaiters {
  /**
   * Resolves when `approvalId` is announced, after `ms`, or when `signal` aborts, whichever is first: true to read
   * again, false when the service is shutting down (answer what was read).
   */
  wait(approvalId: string, ms: number, signal?: AbortSignal): Promise<boolean>;
  /** Wakes the polls waiting on this approval, here and in every other copy. Call after the decision committed. */
  announce(approvalId: string): void;
  /** Shutting down: wakes every waiting poll, and later waits end at once (the polls answer what they read). */
  release(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Polls waiting now, in this copy. */
  size(): number;
}

export function createDecisionWaiters(deps: { publisher: Redis; subscriber: Redis; channel: string; logger: Logger }): DecisionWaiters {
  const sleepers = new Map<string, Set<(readAgain: boolean) => void>>();
  let released = false;

  const wake = (approvalId: string, readAgain = true) => {
    const waiting = sleepers.get(approvalId);
    if (!waiting) return;
    sleepers.delete(approvalId);
    for (const resume of waiting) resume(readAgain);
  };
  const release = () => {
    released = true;
    for (const approvalId of [...sleepers.keys()]) wake(approvalId, false);
  };
  const subscribe = () =>
    deps.subscriber.subscribe(deps.channel).catch((err: Error) => deps.logger.warn({ err: err.message }, 'decision wake-ups unavailable: polls that wait read again on their own'));
  deps.subscriber.on('message', (channel: string, approvalId: string) => {
    if (channel === deps.channel) wake(approvalId);
  });
  // ioredis subscribes again after a reconnect by itself; this covers a start while Redis was down.
  deps.subscriber.on('ready', () => void subscribe());

  return {
    wait(approvalId, ms, signal) {
      if (released) return Promise.resolve(false);
      return new Promise((resolve) => {
        const waiting = sleepers.get(approvalId) ?? new Set();
        sleepers.set(approvalId, waiting);
        const done = (readAgain = true) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiting.delete(done);
          if (waiting.size === 0 && sleepers.get(approvalId) === waiting) sleepers.delete(approvalId);
          resolve(readAgain);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(done, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.add(done);
      });
    },
    announce(approvalId) {
      wake(approvalId);
      deps.publisher.publish(deps.channel, approvalId).catch((err: Error) => deps.logger.warn({ err: err.message, approvalId }, 'could not announce a decision to other copies'));
    },
    async start() {
      await deps.subscriber.connect().catch(() => undefined);
      if (deps.subscriber.status === 'ready') await subscribe();
    },
    release,
    async stop() {
      release();
      await deps.subscriber.quit().catch(() => deps.subscriber.disconnect());
    },
    size: () => [...sleepers.values()].reduce((sum, waiting) => sum + waiting.size, 0),
  };
}
