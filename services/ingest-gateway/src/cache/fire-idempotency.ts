import { unavailableError } from '@pingback/contracts';
import type { MinuteWindowDeps } from './minute-window';

const PENDING = 'pending:';
const DONE = 'done:';
const RELEASE_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const POLL_MS = 20;

export type KeyClaim =
  /** This request fires; `token` releases the claim should it fail. */
  | { kind: 'owner'; token: string | null }
  /** The key's fire happened: answer its body. */
  | { kind: 'replay'; body: unknown };

export interface FireIdempotencyOptions {
  ttlMs: number;
  /** How long a request waits for another one holding its key to answer, before 503 (CONTRACT §7: the others wait). */
  waitMs: number;
}

/**
 * The fast path of a fire's Idempotency-Key (CONTRACT §7): requests racing on one key find one of them the owner
 * and wait for its answer here, in Redis. Postgres decides behind it (room-ping.repository.ts), so with Redis down
 * every request is an owner and the unique row lets one fire.
 */
export function createFireIdempotency(deps: Omit<MinuteWindowDeps, 'now'>, options: FireIdempotencyOptions) {
  const keyOf = (webhookId: string, keyHash: string) => `idem:fire:${webhookId}:${keyHash}`;
  const failOpen = (err: unknown): KeyClaim => {
    deps.failOpen.inc({ operation: 'idempotency' });
    deps.logger.warn({ err: (err as Error).message }, 'idempotency fast path skipped: redis unavailable');
    return { kind: 'owner', token: null };
  };
  return {
    async claim(webhookId: string, keyHash: string): Promise<KeyClaim> {
      const key = keyOf(webhookId, keyHash);
      const token = `${PENDING}${process.pid}:${Math.random().toString(36).slice(2)}`;
      const deadline = Date.now() + options.waitMs;
      try {
        for (;;) {
          if ((await deps.redis.set(key, token, 'PX', options.ttlMs, 'NX')) === 'OK') return { kind: 'owner', token };
          const value = await deps.redis.get(key);
          if (value?.startsWith(DONE)) return { kind: 'replay', body: JSON.parse(value.slice(DONE.length)) };
          if (Date.now() > deadline) throw unavailableError('a fire with this Idempotency-Key is still in progress, try again shortly');
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'service_unavailable') throw err;
        return failOpen(err);
      }
    },

    /** The key's answer, for the requests waiting on it and every later one within the hour. */
    async answer(webhookId: string, keyHash: string, body: unknown): Promise<void> {
      await deps.redis.set(keyOf(webhookId, keyHash), DONE + JSON.stringify(body), 'PX', options.ttlMs).catch(() => undefined);
    },

    async release(webhookId: string, keyHash: string, token: string | null): Promise<void> {
      if (!token) return;
      await deps.redis.eval(RELEASE_IF_MINE, 1, keyOf(webhookId, keyHash), token).catch(() => undefined);
    },
  };
}

export type FireIdempotency = ReturnType<typeof createFireIdempotency>;
