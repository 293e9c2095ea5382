import type { MinuteWindowDeps } from './minute-window';

/** Deletes the key only while it still holds the caller's token: a later holder's cooldown is not cut short. */
const RELEASE_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export type CooldownTaken = { taken: true; token: string | null } | { taken: false; retryAfterSeconds: number };

/**
 * Seed 004's per-webhook cooldown, in Redis: taking it is one atomic `SET NX PX`, so of parallel fires exactly one
 * gets through (CONTRACT §7). Like the rate limits, it fails open without Redis, counted and logged.
 */
export function createCooldowns(deps: Omit<MinuteWindowDeps, 'now'>) {
  const keyOf = (webhookId: string) => `cooldown:${webhookId}`;
  return {
    async take(webhookId: string, seconds: number): Promise<CooldownTaken> {
      if (seconds <= 0) return { taken: true, token: null };
      const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
      try {
        if ((await deps.redis.set(keyOf(webhookId), token, 'PX', seconds * 1000, 'NX')) === 'OK') return { taken: true, token };
        const remainingMs = await deps.redis.pttl(keyOf(webhookId));
        return { taken: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
      } catch (err) {
        deps.failOpen.inc({ operation: 'cooldown' });
        deps.logger.warn({ err: (err as Error).message }, 'cooldown skipped: redis unavailable');
        return { taken: true, token: null };
      }
    },

    /** Gives a cooldown back when its fire did not fire (a replay, a failure): only a real ping starts one. */
    async giveBack(webhookId: string, token: string | null): Promise<void> {
      if (!token) return;
      await deps.redis.eval(RELEASE_IF_MINE, 1, keyOf(webhookId), token).catch(() => undefined);
    },
  };
}

export type Cooldowns = ReturnType<typeof createCooldowns>;
