import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { connect } from 'amqplib';
import { type Broker, createBroker, delayQueueArguments, delayTiersOf, retryQueueName, topology, workQueueArguments } from '../src';
import { listQueues, singleQueue, testLogger, thing, waitFor } from './support/helpers';

/**
 * CONTRACT §10: no queue that can hold accepted work carries `x-expires`, and every delay tier exists from
 * start-up. Real RabbitMQ (the shared server, in a vhost of this file's own) and its management API.
 */
/**
 * A delay queue's TTL runs on RabbitMQ's clock, and Erlang's time correction may run that clock up to 1 % fast
 * against the OS monotonic clock this process measures with (while it converges on a stepped system clock): a
 * 2.5 s delay once came back after 2,485.6 ms. The bounds still tell every tier apart (200 ms, 1 s, 2.5 s).
 */
const RABBITMQ_CLOCK_RATE = 0.99;

describe('delay queues', () => {
  let vhost: IsolatedVhost;
  let broker: Broker | undefined;

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await vhost.delete();
  });
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  const queueArguments = async (): Promise<Map<string, Record<string, unknown>>> =>
    new Map((await listQueues(vhost.vhost)).map((queue) => [queue.name, queue.arguments]));

  it('when the system broker has started, then every delay queue its topology can use exists, and no queue carries x-expires', async () => {
    broker = createBroker({ url: vhost.url, topology, logger: testLogger() });
    await broker.start();

    const declared = await queueArguments();
    const missing: string[] = [];
    for (const queue of topology.queues) {
      for (const delayMs of delayTiersOf(queue)) {
        const name = retryQueueName(queue.name, delayMs);
        if (!declared.has(name)) missing.push(name);
        else expect(declared.get(name)).toEqual(delayQueueArguments(queue.name, delayMs));
      }
    }
    expect(missing).toEqual([]);
    const leased = [...declared].filter(([, args]) => 'x-expires' in args).map(([name]) => name);
    expect(leased).toEqual([]);
  });

  it('when retries wait in delay queues, then they come back after their delay and no queue is declared meanwhile', async () => {
    const things = singleQueue('broker-test:thing:patient', 'test.thing.patient', [200, 2_500], { retryAfterTiersMs: [1_000] });
    broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger() });
    const calledAt: number[] = [];
    broker.consume(things.subscription, async (_message, ctx) => {
      calledAt.push(performance.now());
      if (ctx.attempt === 1) ctx.retryAfterMs(700);
      if (ctx.attempt === 2) throw new Error('not yet');
    });
    await broker.start();
    const atStartUp = await queueArguments();

    await broker.publish(things.publication, { n: 1 });
    await waitFor('the third attempt', () => calledAt.length === 3, 15_000);

    const waits = calledAt.slice(1).map((at, index) => at - (calledAt[index] as number));
    expect(waits[0]).toBeGreaterThanOrEqual(1_000 * RABBITMQ_CLOCK_RATE);
    expect(waits[1]).toBeGreaterThanOrEqual(2_500 * RABBITMQ_CLOCK_RATE);
    expect(await queueArguments()).toEqual(atStartUp);
  });

  it('when a deployment still has the old delay queues with x-expires, then the broker starts and a retry waiting in one comes back', async () => {
    const queue = 'broker-test:thing:upgraded';
    const things = singleQueue(queue, 'test.thing.upgraded', [500]);
    // Version 1 named delay queues `<queue>.retry.<ms>` and gave them a lease; a retry waits in one.
    const oldDelayQueue = `${queue}.retry.500`;
    const connection = await connect(vhost.url);
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue(queue, { durable: true, arguments: workQueueArguments(things.topology.queues[0]!) });
      await channel.assertQueue(oldDelayQueue, {
        durable: true,
        arguments: { ...delayQueueArguments(queue, 500), 'x-expires': 2 * 500 + 600_000 },
      });
      const waiting = thing(41);
      channel.sendToQueue(oldDelayQueue, Buffer.from(JSON.stringify(waiting)), {
        persistent: true,
        messageId: waiting.id,
        headers: { 'x-attempt': 1, 'x-trace-id': waiting.traceId },
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }

    broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger() });
    const handled: { n: number; attempt: number }[] = [];
    broker.consume(things.subscription, async (message, ctx) => {
      handled.push({ n: message.payload.n, attempt: ctx.attempt });
    });
    await broker.start();
    await waitFor('the retry from the old delay queue is handled', () => handled.length === 1, 10_000);

    expect(handled).toEqual([{ n: 41, attempt: 2 }]);
    const declared = await queueArguments();
    expect(declared.has(retryQueueName(queue, 500))).toBe(true);
    expect(retryQueueName(queue, 500)).not.toBe(oldDelayQueue);
  });

  it('when a delay queue is deleted under a running broker, then the retry that needs it declares the topology again and still comes back', async () => {
    const queue = 'broker-test:thing:resilient';
    const things = singleQueue(queue, 'test.thing.resilient', [300]);
    broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger(), reconnectDelayMs: 50 });
    const attempts: number[] = [];
    broker.consume(things.subscription, async (_message, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('first attempt fails');
    });
    await broker.start();
    const connection = await connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(retryQueueName(queue, 300));
    } finally {
      await connection.close();
    }

    await broker.publish(things.publication, { n: 2 });
    await waitFor('the second attempt', () => attempts.includes(2), 15_000);

    // The first attempt ran again after the reconnect: its retry had nowhere to go the first time.
    expect(attempts).toEqual([1, 1, 2]);
    expect((await queueArguments()).has(retryQueueName(queue, 300))).toBe(true);
  });
});
