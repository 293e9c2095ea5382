import type pg from 'pg';

/** A connection that did its work this recently is proof enough that Postgres answers. */
const RECENTLY_ANSWERED_MS = 5_000;

const probes = new WeakMap<object, () => Promise<boolean>>();

/**
 * Whether Postgres answers, as a readiness check should ask it: not "is a connection of my pool free". When
 * every connection is busy, a `SELECT 1` would queue behind the work and the check would time out and call a
 * healthy service not ready, so that load balancers and orchestrators take it out just when it is most needed.
 * A connection released without error in the last few seconds answers instead; otherwise, or when the last
 * connect failed, the probe asks Postgres itself.
 */
export function createReadinessProbe(pool: pg.Pool, health: { isDown(): boolean }): () => Promise<boolean> {
  let lastAnsweredAt = 0;
  pool.on('connect', () => {
    lastAnsweredAt = Date.now();
  });
  pool.on('release', (error: Error | undefined) => {
    if (!error) lastAnsweredAt = Date.now();
  });
  return async () => {
    if (!health.isDown() && Date.now() - lastAnsweredAt < RECENTLY_ANSWERED_MS) return true;
    await pool.query('SELECT 1');
    return true;
  };
}

export function registerReadinessProbe(client: object, probe: () => Promise<boolean>): void {
  probes.set(client, probe);
}

export function readinessProbeOf(client: object): (() => Promise<boolean>) | undefined {
  return probes.get(client);
}
