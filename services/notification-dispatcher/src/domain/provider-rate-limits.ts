import { createHash } from 'node:crypto';
import type { Redis } from '@pingback/redis';

export interface ProviderRateLimits {
  /** Waits until the provider's limit for this destination lets one more send through. */
  acquire(kind: string, settings: Record<string, unknown>): Promise<void>;
}

export interface RateLimitOptions {
  /** Sends a second, per kind: Telegram per bot (one bot per deployment), Slack and Discord per webhook URL. */
  perSecond: Partial<Record<string, number>>;
  /** Longest one send waits for its turn before it gives up and is retried later. */
  maxWaitMs: number;
  /** Redis could not be asked: the send goes ahead (limits fail open, CONTRACT §2). */
  onFailOpen(error: unknown): void;
}

export class RateLimitWaitExceeded extends Error {}

const hashed = (value: unknown) => createHash('sha256').update(String(value)).digest('base64url').slice(0, 16);

/** Which bucket a send draws from, or null when its kind has no shared limit. */
function bucketOf(kind: string, settings: Record<string, unknown>): string | null {
  if (kind === 'telegram') return 'telegram';
  if (kind === 'slack' || kind === 'discord') return `${kind}:${hashed(settings.url)}`;
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per-provider limits shared by every dispatcher copy: a counter per bucket and second in Redis. A send over the
 * limit waits for the next second; the limit is the provider's (Telegram: 30 messages a second per bot; Slack: one
 * a second per incoming webhook), so a burst is spread out instead of answered with 429s.
 */
export function createProviderRateLimits(redis: Redis, options: RateLimitOptions): ProviderRateLimits {
  return {
    async acquire(kind, settings) {
      const perSecond = options.perSecond[kind];
      const bucket = bucketOf(kind, settings);
      if (!perSecond || !bucket) return;
      const limit = Math.max(1, Math.floor(perSecond));
      const deadline = Date.now() + options.maxWaitMs;
      for (;;) {
        const second = Math.floor(Date.now() / 1000);
        const key = `provider-rate:${bucket}:${second}`;
        let count: number;
        try {
          const [[, incremented]] = (await redis.multi().incr(key).expire(key, 5).exec()) as [[unknown, number], unknown];
          count = incremented;
        } catch (error) {
          options.onFailOpen(error);
          return;
        }
        if (count <= limit) return;
        const wait = (second + 1) * 1000 - Date.now() + Math.floor(Math.random() * 50);
        if (Date.now() + wait > deadline) throw new RateLimitWaitExceeded(`${kind}: more than ${limit} sends a second are waiting`);
        await sleep(wait);
      }
    },
  };
}
