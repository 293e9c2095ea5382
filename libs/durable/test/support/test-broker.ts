import { createBroker, EVENTS_EXCHANGE, type Broker, type Topology } from '@pingback/broker';
import { createEnvelope, Envelope } from '@pingback/contracts';
import pino, { type Logger } from 'pino';

/** The routing key (and outbox publication) of the test messages, and the queue that receives them. */
export const PUBLICATION = 'test.thing.published';
export const QUEUE = 'durable-test:thing:published';

export const topology: Topology = {
  exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic' }],
  queues: [{ name: QUEUE, bindings: [{ exchange: EVENTS_EXCHANGE, routingKey: PUBLICATION }], retryDelaysMs: [1_000], queueType: 'classic' }],
};

/** Silent unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export function thing(n: number): { id: string; publication: string; envelope: Envelope } {
  const envelope = createEnvelope('test.thing', 1, { n }, { traceId: `trace-${n}` });
  return { id: envelope.id, publication: PUBLICATION, envelope };
}

/** A broker on the test vhost that records the id of every message the queue receives, duplicates included. */
export async function startReceiver(url: string): Promise<{ broker: Broker; received: string[] }> {
  const received: string[] = [];
  const broker = createBroker({ url, topology, logger: testLogger() });
  broker.consume(QUEUE, Envelope, async (message) => {
    received.push(message.id);
  });
  await broker.start();
  return { broker, received };
}

/** Ids that arrived more than once. */
export function duplicates(received: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of received) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}
