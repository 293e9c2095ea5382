import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { connect } from 'amqplib';
import { Registry } from 'prom-client';
import { createBroker, EVENTS_EXCHANGE, COMMANDS_EXCHANGE, topology } from '../src';
import { runParkedCli } from '../src/cli/parked';
import { singleQueueTopology, testLogger, Thing, thing, waitFor } from './support/helpers';

/** Real RabbitMQ (the shared server, in a vhost of this file's own). */
describe('broker lifecycle', () => {
  let vhost: IsolatedVhost;

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await vhost.delete();
  });

  it('when the system topology is asserted, then every binding routes to a queue', async () => {
    const registry = new Registry();
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry });
    expect(broker.isReady()).toBe(false);
    await broker.start();
    try {
      expect(broker.isReady()).toBe(true);
      for (const queue of topology.queues) {
        for (const binding of queue.bindings) {
          await expect(broker.publish(binding.exchange, binding.routingKey, thing(1))).resolves.toBeUndefined();
        }
      }
      const exported = await registry.metrics();
      expect(exported).toContain(`pingback_publish_duration_seconds_count{exchange="${EVENTS_EXCHANGE}"}`);
      expect(exported).toContain(`pingback_publish_duration_seconds_count{exchange="${COMMANDS_EXCHANGE}"}`);
    } finally {
      await broker.stop();
    }
    expect(broker.isReady()).toBe(false);
    await expect(broker.publish(EVENTS_EXCHANGE, 'webhook.delivered', thing(2))).rejects.toMatchObject({ code: 'service_unavailable' });
  });

  it('when a queue already exists with other arguments, then start rejects instead of retrying for ever', async () => {
    const queue = 'broker-test:thing:clash';
    const connection = await connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    } finally {
      await connection.close();
    }
    const broker = createBroker({ url: vhost.url, topology: singleQueueTopology(queue, 'test.thing.clash', []), logger: testLogger() });
    try {
      await expect(broker.start()).rejects.toMatchObject({ code: 406 });
      expect(broker.isReady()).toBe(false);
    } finally {
      await broker.stop();
    }
  });

  it('when a consumer is added after start, then it receives messages', async () => {
    const queue = 'broker-test:thing:late';
    const broker = createBroker({ url: vhost.url, topology: singleQueueTopology(queue, 'test.thing.late', []), logger: testLogger() });
    await broker.start();
    try {
      const seen: number[] = [];
      broker.consume(queue, Thing, async (message) => {
        seen.push(message.payload.n);
      });
      await broker.publish(EVENTS_EXCHANGE, 'test.thing.late', thing(7));
      await waitFor('the late consumer gets the message', () => seen.includes(7));
    } finally {
      await broker.stop();
    }
  });

  it('when stopping with a handler in flight, then stop waits for it and its message is acked, not redelivered', async () => {
    const queue = 'broker-test:thing:drain';
    const queueTopology = singleQueueTopology(queue, 'test.thing.drain', [200]);
    const broker = createBroker({ url: vhost.url, topology: queueTopology, logger: testLogger() });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    let finished = false;
    broker.consume(queue, Thing, async () => {
      started = true;
      await released;
      finished = true;
    });
    await broker.start();
    await broker.publish(EVENTS_EXCHANGE, 'test.thing.drain', thing(8));
    await waitFor('the handler is running', () => started);

    const stopping = broker.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);

    const connection = await connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      expect(await channel.checkQueue(queue)).toMatchObject({ messageCount: 0 });
    } finally {
      await connection.close();
    }
  });

  it('when the parked CLI lists a queue, then it prints the count and each message', async () => {
    const queue = 'response-store:notification:record';
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger() });
    broker.consume(queue, Thing, async () => undefined);
    await broker.start();
    const broken = thing(9);
    try {
      await broker.publish(COMMANDS_EXCHANGE, 'notification.requested', { ...broken, payload: {} });
      const output: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        output.push(String(chunk));
        return true;
      });
      try {
        await waitFor('the CLI shows the parked message', async () => {
          output.length = 0;
          await runParkedCli(['list', queue], { RABBITMQ_URL: vhost.url });
          return output.join('').includes('1 parked');
        });
      } finally {
        write.mockRestore();
      }
      expect(output.join('')).toContain(`${queue}.parked: 1 parked`);
      expect(output.join('')).toContain(`id=${broken.id} type=test.thing attempt=1 reason=schema_invalid`);
    } finally {
      await broker.stop();
    }
  });
});
