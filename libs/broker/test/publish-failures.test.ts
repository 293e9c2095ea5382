import { createIsolatedVhost, freePort, type IsolatedVhost } from '@pingback/testing';
import { Registry } from 'prom-client';
import { EXCHANGES, publication } from '@pingback/contracts';
import {
  BrokerUnavailableError,
  createBroker,
  InvalidMessageError,
  listParked,
  PublishTimeoutError,
  UnroutableError,
} from '../src';
import {
  closeVhostConnections,
  counterValue,
  publishRaw,
  singleQueue,
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
    const things = singleQueue(queue, 'test.thing.strict', [200, 400]);
    const topology = things.topology;
    const registry = new Registry();
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry });
    let calls = 0;
    broker.consume(things.subscription, async () => {
      calls++;
    });
    await broker.start();
    try {
      const invalid = { ...thing(1), payload: { n: 'not a number' } };
      await publishRaw(vhost.url, EXCHANGES.events, 'test.thing.strict', invalid);
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

  it('when a payload does not match its publication, then publish rejects with InvalidMessageError and nothing is published', async () => {
    const queue = 'broker-test:thing:checked';
    const things = singleQueue(queue, 'test.thing.checked', []);
    const registry = new Registry();
    const broker = createBroker({ url: vhost.url, topology: things.topology, logger: testLogger(), registry });
    const received: number[] = [];
    broker.consume(things.subscription, async (message) => {
      received.push(message.payload.n);
    });
    await broker.start();
    try {
      const refused = broker.publish(things.publication, { n: 'five' } as unknown as { n: number });
      await expect(refused).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(refused).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('payload.n') });
      const foreign = { ...thing(6), type: 'test.other' } as unknown as ReturnType<typeof thing>;
      await expect(broker.publishEnvelope(things.publication, foreign)).rejects.toBeInstanceOf(InvalidMessageError);

      // Published after the refused ones and consumed in order: had they gone out, they would have come first.
      await broker.publish(things.publication, { n: 7 });
      await waitFor('the valid message arrives', () => received.length > 0);
      expect(received).toEqual([7]);
      expect(await counterValue(registry, 'pingback_messages_parked_total', queue)).toBe(0);
    } finally {
      await broker.stop();
    }
  });

  it('when a publish matches no queue, then it rejects with UnroutableError', async () => {
    const routed = singleQueue('broker-test:thing:routed', 'test.thing.routed', []);
    const broker = createBroker({ url: vhost.url, topology: routed.topology, logger: testLogger() });
    const nobodyListens = publication(Thing, { exchange: EXCHANGES.events, routingKey: 'nobody.listens.here' });
    await broker.start();
    try {
      await expect(broker.publish(nobodyListens, { n: 2 })).rejects.toBeInstanceOf(UnroutableError);
      await expect(broker.publish(routed.publication, { n: 3 })).resolves.toMatchObject({ payload: { n: 3 } });
    } finally {
      await broker.stop();
    }
  });

  // The confirm timeout is far longer than this test's own timeout: only an immediate rejection passes.
  it('when RabbitMQ is unreachable, then a publish rejects at once with BrokerUnavailableError', async () => {
    const closedPort = await freePort();
    const nowhere = singleQueue('broker-test:thing:nowhere', 'test.thing.nowhere', []);
    const broker = createBroker({
      url: `amqp://guest:guest@127.0.0.1:${closedPort}`,
      topology: nowhere.topology,
      logger: testLogger(),
      confirmTimeoutMs: 60_000,
    });
    const starting = broker.start();
    try {
      const failure = await broker.publish(nowhere.publication, { n: 4 }).catch((error: unknown) => error);
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
    const things = singleQueue(queue, 'test.thing.dropped', [200]);
    const broker = createBroker({
      url: vhost.url,
      topology: things.topology,
      logger: testLogger(),
      confirmTimeoutMs: 60_000,
      reconnectDelayMs: 50,
    });
    const received = new Set<number>();
    broker.consume(things.subscription, async (message) => {
      received.add(message.payload.n);
    });
    await broker.start();
    const outcomes: Promise<{ n: number; ok: boolean; error?: unknown }>[] = [];
    let publishing = true;
    const publishLoop = (async () => {
      for (let n = 0; publishing; n++) {
        outcomes.push(
          broker.publish(things.publication, { n }).then(
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
      await broker.publish(things.publication, { n: 1_000 });
      await waitFor('a message published after reconnecting is consumed', () => received.has(1_000));
    } finally {
      publishing = false;
      await publishLoop;
      await broker.stop();
    }
  });
});
