import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { connect } from 'amqplib';
import { Registry } from 'prom-client';
import { allPublications, allSubscriptions, EXCHANGES, publications, subscriptions, webhookDeliverPublications } from '@pingback/contracts';
import { createBroker, topology } from '../src';
import { runParkedCli } from '../src/cli/parked';
import { publishRaw, singleQueue, testLogger, thing, waitFor } from './support/helpers';

/** Real RabbitMQ (the shared server, in a vhost of this file's own). */
describe('broker lifecycle', () => {
  let vhost: IsolatedVhost;

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await vhost.delete();
  });

  /** Empties the system's work queues, so a later test here starts from none. */
  async function purgeWorkQueues(): Promise<void> {
    const connection = await connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      for (const queue of topology.queues) await channel.purgeQueue(queue.name);
    } finally {
      await connection.close();
    }
  }

  it('when the system topology is asserted, then every publication routes to a queue', async () => {
    const registry = new Registry();
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry });
    expect(broker.isReady()).toBe(false);
    await broker.start();
    try {
      expect(broker.isReady()).toBe(true);
      // Raw bodies: routing is what this checks (a mandatory publish that no queue takes comes back).
      // A message only per-process queues take (signer.rotated) is routed only while a process consumes it.
      const durable = allPublications.filter((published) => allSubscriptions.some((row) => !row.exclusive && row.publications.includes(published)));
      for (const published of durable) {
        await expect(publishRaw(vhost.url, published.exchange, published.routingKey, thing(1))).resolves.toBeUndefined();
      }
      const subject = { accountId: 'acc_1', kind: 'message', id: 'msg_1', refs: { channelId: 'ch_1' } };
      await broker.publish(webhookDeliverPublications.callback, {
        webhookId: 'cb_1',
        purpose: 'callback',
        url: 'http://127.0.0.1:9/hook',
        body: {},
        signer: { kind: 'channel', id: 'ch_1' },
        endpoint: null,
        subject,
      });
      const delivered = { webhookId: 'cb_1', purpose: 'callback' as const, subject, attempt: 1, status: 200, latencyMs: 3, at: new Date().toISOString() };
      await broker.publish(publications.webhookDelivered, delivered);
      const exported = await registry.metrics();
      expect(exported).toContain(`pingback_publish_duration_seconds_count{exchange="${EXCHANGES.events}"} 1`);
      expect(exported).toContain(`pingback_publish_duration_seconds_count{exchange="${EXCHANGES.commands}"} 1`);
    } finally {
      await broker.stop();
      await purgeWorkQueues();
    }
    expect(broker.isReady()).toBe(false);
    await expect(broker.publish(publications.webhookFailed, {
      webhookId: 'cb_2',
      purpose: 'callback',
      subject: { accountId: 'acc_1', kind: 'message', id: 'msg_2', refs: { channelId: 'ch_1' } },
      attempts: 1,
      error: { code: 'http_500', message: 'boom' },
      at: new Date().toISOString(),
    })).rejects.toMatchObject({ code: 'service_unavailable' });
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
    const broker = createBroker({ url: vhost.url, topology: singleQueue(queue, 'test.thing.clash', []).topology, logger: testLogger() });
    try {
      await expect(broker.start()).rejects.toMatchObject({ code: 406 });
      expect(broker.isReady()).toBe(false);
    } finally {
      await broker.stop();
    }
  });

  it('when a consumer is added after start, then it receives messages', async () => {
    const queue = 'broker-test:thing:late';
    const things = singleQueue(queue, 'test.thing.late', []);
    const broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger() });
    await broker.start();
    try {
      const seen: number[] = [];
      broker.consume(things.subscription, async (message) => {
        seen.push(message.payload.n);
      });
      await broker.publish(things.publication, { n: 7 });
      await waitFor('the late consumer gets the message', () => seen.includes(7));
    } finally {
      await broker.stop();
    }
  });

  it('when stopping with a handler in flight, then stop waits for it and its message is acked, not redelivered', async () => {
    const queue = 'broker-test:thing:drain';
    const things = singleQueue(queue, 'test.thing.drain', [200]);
    const broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger() });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    let finished = false;
    broker.consume(things.subscription, async () => {
      started = true;
      await released;
      finished = true;
    });
    await broker.start();
    await broker.publish(things.publication, { n: 8 });
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
    const { queue } = subscriptions.recordNotification;
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger() });
    broker.consume(subscriptions.recordNotification, async () => undefined);
    await broker.start();
    const broken = thing(9);
    try {
      const requested = publications.notificationRequested;
      await publishRaw(vhost.url, requested.exchange, requested.routingKey, { ...broken, payload: {} });
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
