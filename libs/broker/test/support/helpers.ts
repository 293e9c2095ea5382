import { envelopeFor, envelopeOf, EXCHANGES, publication, subscription, type Publication, type Subscription } from '@pingback/contracts';
import { connect } from 'amqplib';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { topologyOf, type Topology } from '../../src';

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
export const Thing = envelopeOf('test.thing', 1, z.object({ n: z.number() }));
export type Thing = z.infer<typeof Thing>;

const things = publication(Thing, { exchange: EXCHANGES.events, routingKey: 'test.thing' });

/** A Thing's envelope, built but not published. */
export function thing(n: number): Thing {
  return envelopeFor(things, { n }, { traceId: `trace-${n}` });
}

export interface SingleQueue {
  /** Things published to the events exchange with the queue's routing key. */
  publication: Publication<typeof Thing>;
  subscription: Subscription<readonly [Publication<typeof Thing>]>;
  topology: Topology;
}

/** One work queue on the events exchange, receiving Things with one routing key. */
export function singleQueue(
  queue: string,
  routingKey: string,
  retryDelaysMs: number[],
  options: { prefetch?: number; retryAfterTiersMs?: number[] } = {},
): SingleQueue {
  const things = publication(Thing, { exchange: EXCHANGES.events, routingKey });
  const subscribed = subscription({ queue, publications: [things], retryDelaysMs, ...options });
  return { publication: things, subscription: subscribed, topology: topologyOf([subscribed]) };
}

/**
 * Publishes a body as it is, bypassing the broker's schema check (what an old or foreign publisher might send),
 * and waits for the confirm; fails when RabbitMQ returned it because no queue is bound for it.
 */
export async function publishRaw(url: string, exchange: string, routingKey: string, body: unknown): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    let returned = false;
    channel.on('return', () => (returned = true));
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(body)), { persistent: true, mandatory: true });
    await channel.waitForConfirms();
    if (returned) throw new Error(`no queue is bound to ${exchange} for ${routingKey}`);
  } finally {
    await connection.close();
  }
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

export interface QueueInfo {
  name: string;
  arguments: Record<string, unknown>;
  messages: number;
}

/** Every queue of a vhost, with its arguments, as the management API reports it. */
export async function listQueues(vhost: string): Promise<QueueInfo[]> {
  const api = managementApi();
  const response = await fetch(`${api.root}/queues/${encodeURIComponent(vhost)}?columns=name,arguments,messages`, {
    headers: api.headers,
  });
  if (!response.ok) throw new Error(`management API answered ${response.status} listing the queues of ${vhost}`);
  const queues = (await response.json()) as { name: string; arguments?: Record<string, unknown>; messages?: number }[];
  return queues.map((queue) => ({ name: queue.name, arguments: queue.arguments ?? {}, messages: queue.messages ?? 0 }));
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
