import { type RabbitNode, startRabbitNode } from '@pingback/testing';
import { type Broker, BrokerUnavailableError, createBroker } from '../src';
import { singleQueue, testLogger, waitFor } from './support/helpers';

/**
 * A RabbitMQ node of this file's own (free ports, own data), restarted under load; the shared server is
 * never touched.
 */
const QUEUE = 'broker-test:thing:steady';
const ROUTING_KEY = 'test.thing.steady';

describe('RabbitMQ restarted under a steady publish load', () => {
  let node: RabbitNode;
  let publisher: Broker;
  let consumer: Broker;

  beforeAll(async () => {
    node = await startRabbitNode();
  }, 90_000);

  afterAll(async () => {
    await publisher?.stop();
    await consumer?.stop();
    await node?.stop();
  }, 60_000);

  it('when the node restarts, then publishes fail fast during the outage, both sides recover by themselves and nothing confirmed is lost', async () => {
    const things = singleQueue(QUEUE, ROUTING_KEY, [200]);
    const options = { url: node.url, topology: things.topology, logger: testLogger(), reconnectDelayMs: 100, maxReconnectDelayMs: 1_000 };
    publisher = createBroker(options);
    consumer = createBroker(options);
    const received = new Set<number>();
    consumer.consume(things.subscription, async (message) => {
      received.add(message.payload.n);
    });
    await Promise.all([publisher.start(), consumer.start()]);

    const outcomes: Promise<{ n: number; ok: boolean; error?: unknown }>[] = [];
    let publishing = true;
    const publishLoop = (async () => {
      for (let n = 0; publishing; n++) {
        outcomes.push(
          publisher.publish(things.publication, { n }).then(
            () => ({ n, ok: true }),
            (error: unknown) => ({ n, ok: false, error }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    try {
      await waitFor('messages flow before the restart', () => received.size >= 50);
      await node.restart();
      await waitFor('both brokers are ready again by themselves', () => publisher.isReady() && consumer.isReady(), 30_000);
      const resumedFrom = outcomes.length;
      await waitFor(
        'publishes after the restart are confirmed and consumed',
        async () => {
          const latest = await Promise.all(outcomes.slice(resumedFrom));
          return latest.filter((outcome) => outcome.ok && received.has(outcome.n)).length >= 50;
        },
        30_000,
      );
    } finally {
      publishing = false;
      await publishLoop;
    }

    const settled = await Promise.all(outcomes);
    const failures = settled.filter((outcome) => !outcome.ok);
    const confirmed = settled.filter((outcome) => outcome.ok).map((outcome) => outcome.n);
    expect(failures.length).toBeGreaterThan(0);
    failures.forEach((failure) => expect(failure.error).toBeInstanceOf(BrokerUnavailableError));
    await waitFor('every confirmed message is consumed', () => confirmed.every((n) => received.has(n)), 30_000);
  }, 90_000);
});
