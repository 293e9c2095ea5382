import { Writable } from 'node:stream';
import { createIsolatedVhost, freePort, startRabbitNode, type IsolatedVhost, type RabbitNode } from '@pingback/testing';
import pino from 'pino';
import { createBroker, redactBrokerUrl, type Broker } from '../src';
import { closeVhostConnections, singleQueue, waitFor } from './support/helpers';

/**
 * A broker given several URLs. The nodes are two independent ones: this file's own node (killed here) and a vhost
 * of the shared server (whose connections are only closed, never the server). Following a list needs nothing
 * of a cluster; the cluster itself is tested end to end in tests/ping-it-back/rabbit-cluster.test.ts.
 */
const things = singleQueue('broker-test:thing:failover', 'test.thing.failover', [200]);

interface LogLine {
  msg: string;
  node?: string;
}

/** A logger whose lines the test reads, at info: where the broker connected is logged there. */
function recordingLogger() {
  const text: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () => text.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
  const connectedTo = () => lines().filter((line) => line.msg === 'connected to RabbitMQ').map((line) => line.node);
  return { logger: pino({ level: 'info' }, stream), text: () => text.join(''), lines, connectedTo };
}

describe('broker: a list of RabbitMQ nodes', () => {
  let vhost: IsolatedVhost;
  let node: RabbitNode;
  const brokers: Broker[] = [];

  beforeAll(async () => {
    [vhost, node] = await Promise.all([createIsolatedVhost(), startRabbitNode()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(brokers.map((broker) => broker.stop()));
    await node?.stop();
    await vhost?.delete();
  }, 60_000);

  function brokerFor(url: string, log: ReturnType<typeof recordingLogger>, reconnectDelayMs: number): { broker: Broker; received: Set<number> } {
    const broker = createBroker({ url, topology: things.topology, logger: log.logger, reconnectDelayMs, maxReconnectDelayMs: reconnectDelayMs });
    brokers.push(broker);
    const received = new Set<number>();
    broker.consume(things.subscription, async (message) => {
      received.add(message.payload.n);
    });
    return { broker, received };
  }

  const confirmedAndConsumed = async (broker: Broker, received: Set<number>, n: number) => {
    await broker.publish(things.publication, { n });
    await waitFor(`message ${n} is consumed`, () => received.has(n));
  };

  test('when the first node is unreachable, then start() goes on to the second at once, without backing off, and logs no password', async () => {
    const deadNode = `amqp://guest:hunter2@127.0.0.1:${await freePort()}`;
    const log = recordingLogger();
    // One backoff would take 24 s or more: a start within 15 s proves the second node was tried without one.
    const { broker, received } = brokerFor(`${deadNode},${vhost.url}`, log, 30_000);

    const startedAt = Date.now();
    await broker.start();

    expect(Date.now() - startedAt).toBeLessThan(15_000);
    await confirmedAndConsumed(broker, received, 1);
    expect(log.connectedTo()).toEqual([redactBrokerUrl(vhost.url)]);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'cannot use this RabbitMQ node; trying the next', node: redactBrokerUrl(deadNode) }));
    expect(log.text()).not.toContain('hunter2');
    await broker.stop();
  }, 60_000);

  test('when the node in use is lost, then the broker reconnects to the next node, and from the last node back to the first', async () => {
    const log = recordingLogger();
    const { broker, received } = brokerFor(`${vhost.url},${node.url}`, log, 100);
    await broker.start();
    await confirmedAndConsumed(broker, received, 1);
    expect(log.connectedTo()).toEqual([redactBrokerUrl(vhost.url)]);

    // The shared server stays up: the broker still moves on, so a node that just failed is tried last. The
    // management API lists a connection only after its first statistics tick (up to 5 s): close until it did.
    await waitFor('the server closed the connection', async () => (await closeVhostConnections(vhost.vhost)) > 0);
    await waitFor('the broker to reconnect to the second node', () => log.connectedTo().length === 2 && broker.isReady(), 30_000);
    expect(log.connectedTo()[1]).toBe(redactBrokerUrl(node.url));
    await confirmedAndConsumed(broker, received, 2);

    await node.kill();
    await waitFor('the broker to reconnect to the first node', () => log.connectedTo().length === 3 && broker.isReady(), 30_000);
    expect(log.connectedTo()[2]).toBe(redactBrokerUrl(vhost.url));
    await confirmedAndConsumed(broker, received, 3);
  }, 90_000);
});
