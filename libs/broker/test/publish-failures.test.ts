import { createIsolatedVhost, freePort, type IsolatedVhost } from '@pingback/testing';
import { Registry } from 'prom-client';
import {
  BrokerUnavailableError,
  createBroker,
  EVENTS_EXCHANGE,
  listParked,
  PublishTimeoutError,
  UnroutableError,
} from '../src';
import {
  closeVhostConnections,
  counterValue,
  singleQueueTopology,
  testLogger,
  Thing,
  thing,
  waitFor,
} from './support/helpers';

/** Real RabbitMQ (the shared server, in a vhost of this file's own). */
describe('messages and publishes that cannot go through', () => {
  let vhost: IsolatedVhost;

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await vhost.delete();
  });

  it('when a message does not match the schema, then it is parked without retries and the handler never sees it', async () => {
    const queue = 'broker-test:thing:strict';
    const topology = singleQueueTopology(queue, 'test.thing.strict', [200, 400]);
    const registry = new Registry();
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry });
    let calls = 0;
    broker.consume(queue, Thing, async () => {
      calls++;
    });
    await broker.start();
    try {
      const invalid = { ...thing(1), payload: { n: 'not a number' } };
      await broker.publish(EVENTS_EXCHANGE, 'test.thing.strict', invalid);
      await waitFor('the message is parked', async () => (await counterValue(registry, 'pingback_messages_parked_total', queue)) === 1);

      const [report] = await listParked({ url: vhost.url, topology, queue });
      expect(report?.messages).toEqual([
        expect.objectContaining({ id: invalid.id, attempt: 1, reason: 'schema_invalid' }),
      ]);
      expect(report?.messages[0]?.lastError).toContain('payload.n');
      expect(calls).toBe(0);
      expect(await counterValue(registry, 'pingback_messages_retried_total', queue)).toBe(0);
    } finally {
      await broker.stop();
    }
  });

  it('when a publish matches no queue, then it rejects with UnroutableError', async () => {
    const broker = createBroker({
      url: vhost.url,
      topology: singleQueueTopology('broker-test:thing:routed', 'test.thing.routed', []),
      logger: testLogger(),
    });
    await broker.start();
    try {
      await expect(broker.publish(EVENTS_EXCHANGE, 'nobody.listens.here', thing(2))).rejects.toBeInstanceOf(UnroutableError);
      await expect(broker.publish(EVENTS_EXCHANGE, 'test.thing.routed', thing(3))).resolves.toBeUndefined();
    } finally {
      await broker.stop();
    }
  });

  // The confirm timeout is far longer than this test's own timeout: only an immediate rejection passes.
  it('when RabbitMQ is unreachable, then a publish rejects at once with BrokerUnavailableError', async () => {
    const closedPort = await freePort();
    const broker = createBroker({
      url: `amqp://guest:guest@127.0.0.1:${closedPort}`,
      topology: singleQueueTopology('broker-test:thing:nowhere', 'test.thing.nowhere', []),
      logger: testLogger(),
      confirmTimeoutMs: 60_000,
    });
    const starting = broker.start();
    try {
      const failure = await broker.publish(EVENTS_EXCHANGE, 'test.thing.nowhere', thing(4)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BrokerUnavailableError);
      expect(failure).not.toBeInstanceOf(PublishTimeoutError);
      expect(failure).toMatchObject({ code: 'service_unavailable' });
      expect(broker.isReady()).toBe(false);
    } finally {
      await broker.stop();
      await expect(starting).rejects.toBeInstanceOf(BrokerUnavailableError);
    }
  }, 5_000);

  it('when the server drops the connection under publishing, then no publish hangs and the broker reconnects by itself', async () => {
    const queue = 'broker-test:thing:dropped';
    const broker = createBroker({
      url: vhost.url,
      topology: singleQueueTopology(queue, 'test.thing.dropped', [200]),
      logger: testLogger(),
      confirmTimeoutMs: 60_000,
      reconnectDelayMs: 50,
    });
    const received = new Set<number>();
    broker.consume(queue, Thing, async (message) => {
      received.add(message.payload.n);
    });
    await broker.start();
    const outcomes: Promise<{ n: number; ok: boolean; error?: unknown }>[] = [];
    let publishing = true;
    const publishLoop = (async () => {
      for (let n = 0; publishing; n++) {
        outcomes.push(
          broker.publish(EVENTS_EXCHANGE, 'test.thing.dropped', thing(n)).then(
            () => ({ n, ok: true }),
            (error: unknown) => ({ n, ok: false, error }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      // The management API lists a connection only after its first statistics tick (up to 5 s).
      await waitFor('the server closes the connection', async () => (await closeVhostConnections(vhost.vhost)) > 0);
      await waitFor('the broker reconnects', () => broker.isReady());
      await waitFor('publishes succeed again', async () => (await outcomes.at(-1))?.ok === true);
      publishing = false;
      await publishLoop;
      const settled = await Promise.all(outcomes);

      const failures = settled.filter((outcome) => !outcome.ok);
      expect(failures.length).toBeGreaterThan(0);
      failures.forEach((failure) => expect(failure.error).toBeInstanceOf(BrokerUnavailableError));
      failures.forEach((failure) => expect(failure.error).not.toBeInstanceOf(PublishTimeoutError));
      const confirmed = settled.filter((outcome) => outcome.ok).map((outcome) => outcome.n);
      await waitFor('every confirmed message is consumed', () => confirmed.every((n) => received.has(n)));
      await expect(broker.publish(EVENTS_EXCHANGE, 'test.thing.dropped', thing(1_000))).resolves.toBeUndefined();
      await waitFor('a message published after reconnecting is consumed', () => received.has(1_000));
    } finally {
      publishing = false;
      await publishLoop;
      await broker.stop();
    }
  });
});
