import express, { type Express } from 'express';
import type { Registry } from 'prom-client';

export type CheckState = 'ok' | 'degraded' | 'down';

/**
 * A dependency check. `required` ones (broker, Postgres) fail /readyz when down; optional ones (Redis) only
 * report "degraded", because the service keeps serving from Postgres without them (CONTRACT §2).
 */
export interface ReadinessCheck {
  name: string;
  required: boolean;
  check: () => Promise<boolean> | boolean;
}

const CHECK_TIMEOUT_MS = 1500;

async function runCheck(check: ReadinessCheck): Promise<CheckState> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CHECK_TIMEOUT_MS).unref());
  const healthy = await Promise.race([Promise.resolve().then(check.check), timeout]).catch(() => false);
  if (healthy) return 'ok';
  return check.required ? 'down' : 'degraded';
}

export async function readiness(checks: ReadinessCheck[]): Promise<{ ready: boolean; checks: Record<string, CheckState> }> {
  const states = await Promise.all(checks.map(runCheck));
  const byName = Object.fromEntries(checks.map((c, i) => [c.name, states[i]!]));
  return { ready: states.every((s) => s !== 'down'), checks: byName };
}

/** The internal app every service exposes: /healthz, /readyz, /metrics. Services mount internal routes on it. */
export function createInternalApp(options: { checks: ReadinessCheck[]; registry: Registry; isStopping: () => boolean }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const result = await readiness(options.checks);
    const ready = result.ready && !options.isStopping();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: result.checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.registry.contentType).send(await options.registry.metrics());
  });
  return app;
}
