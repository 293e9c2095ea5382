import { EXCHANGES, publication, subscription } from '@pingback/contracts';
import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { createBroker, topologyOf, type Broker } from '../src';
import { closeVhostConnections, listQueues, testLogger, Thing, waitFor } from './support/helpers';

// Real RabbitMQ (the shared server, in a vhost of this file's own): two brokers stand for two processes.

const hints = publication(Thing, { exchange: EXCHANGES.events, routingKey: 'test.hint' });
const perProcess = subscription({ queue: 'test:hint:forget', publications: [hints], retryDelaysMs: [], exclusive: true });
const topology = topologyOf([perProcess]);

describe('broker: per-process queues', () => {
  let vhost: IsolatedVhost;
  const brokers: Broker[] = [];

  beforeAll(async () => {
    vhost = await createIsolatedVhost();
  });
  afterAll(async () => {
    await Promise.allSettled(brokers.map((broker) => broker.stop()));
    await vhost.delete();
  });

  function startProcess(): { broker: Broker; seen: number[]; connections: () => number } {
    const broker = createBroker({ url: vhost.url, topology, logger: testLogger(), reconnectDelayMs: 50 });
    brokers.push(broker);
    const seen: number[] = [];
    let connections = 0;
    broker.consume(perProcess, async (message) => {
      seen.push(message.payload.n);
      if (message.payload.n < 0) throw new Error('a handler that fails');
    });
    broker.onConnected(() => (connections += 1));
    return { broker, seen, connections: () => connections };
  }

  test('when two processes consume a per-process subscription, then each gets every message, also after a handler fails', async () => {
    const [one, two] = [startProcess(), startProcess()];
    await Promise.all([one.broker.start(), two.broker.start()]);

    await one.broker.publish(hints, { n: -1 });
    await one.broker.publish(hints, { n: 1 });
    await waitFor('both processes saw both messages', () => one.seen.length === 2 && two.seen.length === 2);
    expect(one.seen).toEqual([-1, 1]);
    expect(two.seen).toEqual([-1, 1]);

    const queues = (await listQueues(vhost.vhost)).filter((queue) => queue.name.startsWith(`${perProcess.queue}.`));
    expect(queues).toHaveLength(2);
    // No delay or parking queue: nothing is retried or parked, the failed one was acked.
    expect((await listQueues(vhost.vhost)).map((queue) => queue.name).filter((name) => !name.startsWith(`${perProcess.queue}.`))).toEqual([]);
    expect(queues.every((queue) => queue.messages === 0)).toBe(true);
    expect(one.connections()).toBe(1);

    await Promise.all([one.broker.stop(), two.broker.stop()]);
    await waitFor('the per-process queues are gone with their connections', async () =>
      (await listQueues(vhost.vhost)).every((queue) => !queue.name.startsWith(`${perProcess.queue}.`)),
    );
  });

  test('when the connection is lost, then onConnected runs again and the new queue receives what follows', async () => {
    const one = startProcess();
    await one.broker.start();
    expect(one.connections()).toBe(1);

    // The management API lists a connection only after its first statistics tick (up to 5 s).
    await waitFor('the server closed the connection', async () => (await closeVhostConnections(vhost.vhost)) > 0);
    await waitFor('the broker reconnected', () => one.connections() === 2 && one.broker.isReady());
    await one.broker.publish(hints, { n: 7 });
    await waitFor('the message after the reconnect', () => one.seen.includes(7));
    await one.broker.stop();
  });

  test('when no process consumes, then publishing is refused as unroutable', async () => {
    const publisher = createBroker({ url: vhost.url, topology, logger: testLogger() });
    brokers.push(publisher);
    await publisher.start();
    await expect(publisher.publish(hints, { n: 2 })).rejects.toMatchObject({ name: 'UnroutableError' });
  });
});
