import { createBroker, topologyOf, type Broker, type Topology } from '@pingback/broker';
import { Envelope, envelopeFor, envelopeOf, EXCHANGES, publication, subscription, type MessageOf, type Publication } from '@pingback/contracts';
import pino, { type Logger } from 'pino';

/** The routing key (and outbox publication) of the test messages, and the queue that receives them. */
export const PUBLICATION = 'test.thing.published';
export const QUEUE = 'durable-test:thing:published';

/** The test messages: any payload, type `test.thing`. */
export const Thing = envelopeOf('test.thing', 1, Envelope.shape.payload);

/** Things published to the events exchange under `routingKey` (an outbox row's publication). */
export const thingsAt = (routingKey: string): Publication<typeof Thing> => publication(Thing, { exchange: EXCHANGES.events, routingKey });

/** The queue that receives things published under `routingKey`. */
export const thingQueue = (queue: string, routingKey: string) => subscription({ queue, publications: [thingsAt(routingKey)], retryDelaysMs: [1_000] });

const thingsReceived = thingQueue(QUEUE, PUBLICATION);
export const topology: Topology = topologyOf([thingsReceived]);

/** A publisher's topology: the events exchange and no queue of its own. */
export const publisherTopology: Topology = { exchanges: [{ name: EXCHANGES.events, type: 'topic' }], queues: [] };

/** How the relays under test publish a row: the envelope as stored, under the row's publication. */
export const publishRow = (publisher: Broker) => (row: { publication: string; envelope: unknown }) =>
  publisher.publishEnvelope(thingsAt(row.publication), row.envelope as MessageOf<Publication<typeof Thing>>);

/** Silent unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export function thing(n: number): { id: string; publication: string; envelope: Envelope } {
  const envelope = envelopeFor(thingsAt(PUBLICATION), { n }, { traceId: `trace-${n}` });
  return { id: envelope.id, publication: PUBLICATION, envelope };
}

/** A broker on the test vhost that records the id of every message the queue receives, duplicates included. */
export async function startReceiver(url: string): Promise<{ broker: Broker; received: string[] }> {
  const received: string[] = [];
  const broker = createBroker({ url, topology, logger: testLogger() });
  broker.consume(thingsReceived, async (message) => {
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
