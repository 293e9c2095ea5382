import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { Registry } from 'prom-client';
import { type Broker, createBroker, type Topology } from '../src';
import { counterValue, publishRaw, singleQueue, testLogger, type Thing, waitFor } from './support/helpers';

// Real RabbitMQ (the shared server, in a vhost of this file's own). The handler records what it was given; the
// outcome a user would see is what was handled, how often, and what was acked, retried or parked.

describe('consuming in batches', () => {
  let vhost: IsolatedVhost;
  let broker: Broker | undefined;
  let registry: Registry;

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await vhost.delete();
  });
  beforeEach(() => {
    registry = new Registry();
  });
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  function startBroker(topology: Topology): Broker {
    broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry });
    return broker;
  }

  const metric = (name: string, queue: string) => counterValue(registry, `pingback_messages_${name}_total`, queue);

  it('when many messages arrive together, then the handler gets them in batches no larger than the prefetch, and each is acked once', async () => {
    const queue = 'broker-test:thing:batched';
    const things = singleQueue(queue, 'test.thing.batched', [100], { prefetch: 16 });
    const publisher = startBroker(things.topology);
    await publisher.start();
    // Queued before anyone consumes, so they arrive together.
    await Promise.all(Array.from({ length: 100 }, (_, n) => publisher.publish(things.publication, { n })));
    await publisher.stop();

    const consumer = startBroker(things.topology);
    const batches: number[][] = [];
    consumer.consumeBatch(things.subscription, async (messages) => {
      batches.push(messages.map((message) => (message as Thing).payload.n));
    });
    await consumer.start();
    await waitFor('every message is acked', async () => (await metric('acked', queue)) === 100);

    const handled = batches.flat().sort((a, b) => a - b);
    expect(handled).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeGreaterThan(1);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(16);
    expect(await metric('retried', queue)).toBe(0);
  });

  it('when a batch fails because of one message, then the others are handled alone and only that one is retried, then parked', async () => {
    const queue = 'broker-test:thing:poisoned';
    const things = singleQueue(queue, 'test.thing.poisoned', [50], { prefetch: 16 });
    const publisher = startBroker(things.topology);
    await publisher.start();
    await Promise.all(Array.from({ length: 30 }, (_, n) => publisher.publish(things.publication, { n })));
    await publisher.stop();

    const consumer = startBroker(things.topology);
    const committed = new Map<number, number>();
    const calls: number[] = [];
    consumer.consumeBatch(things.subscription, async (messages) => {
      const numbers = messages.map((message) => (message as Thing).payload.n);
      calls.push(numbers.length);
      // One transaction: all or nothing.
      if (numbers.includes(13)) throw new Error('thirteen does not fit');
      for (const n of numbers) committed.set(n, (committed.get(n) ?? 0) + 1);
    });
    await consumer.start();
    await waitFor('29 acked and one parked', async () => (await metric('acked', queue)) === 29 && (await metric('parked', queue)) === 1);

    expect([...committed.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n).filter((n) => n !== 13));
    expect([...committed.values()].every((count) => count === 1)).toBe(true);
    expect(calls.some((size) => size > 1)).toBe(true);
    expect(await metric('retried', queue)).toBe(1);
  });

  it('when a message in a batch does not match its schema, then it is parked alone and the rest are handled', async () => {
    const queue = 'broker-test:thing:garbled';
    const things = singleQueue(queue, 'test.thing.garbled', [50], { prefetch: 16 });
    const publisher = startBroker(things.topology);
    await publisher.start();
    const exchange = things.publication.exchange;
    await Promise.all([
      ...Array.from({ length: 10 }, (_, n) => publisher.publish(things.publication, { n })),
      publishRaw(vhost.url, exchange, 'test.thing.garbled', { not: 'a thing' }),
    ]);
    await publisher.stop();

    const consumer = startBroker(things.topology);
    const handled: number[] = [];
    consumer.consumeBatch(things.subscription, async (messages) => {
      handled.push(...messages.map((message) => (message as Thing).payload.n));
    });
    await consumer.start();
    await waitFor('ten acked and one parked', async () => (await metric('acked', queue)) === 10 && (await metric('parked', queue)) === 1);

    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });
});
