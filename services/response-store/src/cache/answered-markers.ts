import type { Redis } from '@pingback/redis';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

/**
 * The fast path for "already answered": a marker set only after Postgres accepted an answer. It lets repeat
 * answers be refused without touching Postgres. Losing it costs nothing: Postgres still decides.
 */
export function createAnsweredMarkers(redis: Redis, deps: { logger: Logger; failOpen: Counter<'operation'> }) {
  const key = (messageId: string) => `answered:${messageId}`;
  const degraded = (operation: string) => (err: unknown) => {
    deps.failOpen.inc({ operation });
    deps.logger.warn({ err: (err as Error).message, operation }, 'redis unavailable, deciding in Postgres');
    return null;
  };
  return {
    async isAnswered(messageId: string): Promise<boolean> {
      return (await redis.exists(key(messageId)).catch(degraded('answered-marker.read'))) === 1;
    },
    async markAnswered(messageId: string, ttlMs: number): Promise<void> {
      await redis.set(key(messageId), '1', 'PX', Math.max(ttlMs, 1000)).catch(degraded('answered-marker.write'));
    },
  };
}

export type AnsweredMarkers = ReturnType<typeof createAnsweredMarkers>;
