import { createEnvelope, Envelope } from '@pingback/contracts';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { EVENTS_EXCHANGE, type Topology } from '../../src';

/** Silent unless TEST_LOG_LEVEL asks otherwise (debug a failing test with TEST_LOG_LEVEL=debug). */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** Polls until `condition` holds; fails with `description` after `timeoutMs`. */
export async function waitFor(
  description: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The test messages: an envelope whose payload carries a number. */
export const Thing = Envelope.extend({ type: z.literal('test.thing'), payload: z.object({ n: z.number() }) });
export type Thing = z.infer<typeof Thing>;

export function thing(n: number): Thing {
  return createEnvelope('test.thing', 1, { n }, { traceId: `trace-${n}` });
}

/** One work queue on the events exchange, bound to one routing key. */
export function singleQueueTopology(queue: string, routingKey: string, retryDelaysMs: number[], prefetch?: number): Topology {
  return {
    exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic' }],
    queues: [{ name: queue, bindings: [{ exchange: EVENTS_EXCHANGE, routingKey }], retryDelaysMs, prefetch }],
  };
}

export async function counterValue(registry: Registry, name: string, queue: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((value) => value.labels.queue === queue)?.value ?? 0;
}

/** Closes every client connection of a vhost from the server side, as RabbitMQ does when it shuts down. */
export async function closeVhostConnections(vhost: string): Promise<number> {
  const api = managementApi();
  const response = await fetch(`${api.root}/vhosts/${encodeURIComponent(vhost)}/connections`, { headers: api.headers });
  const connections = (await response.json()) as { name: string }[];
  for (const { name } of connections) {
    await fetch(`${api.root}/connections/${encodeURIComponent(name)}`, {
      method: 'DELETE',
      headers: { ...api.headers, 'x-reason': 'closed by a test' },
    });
  }
  return connections.length;
}

function managementApi(): { root: string; headers: Record<string, string> } {
  const base = new URL(process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');
  const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
  base.username = '';
  base.password = '';
  return {
    root: `${base.toString().replace(/\/$/, '')}/api`,
    headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
  };
}
