import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import { Registry } from 'prom-client';
import { type Broker, createBroker, listParked, NonRetryableError, replayParked, type Topology, withInfrastructureRetryDelays } from '../src';
import { counterValue, singleQueue, testLogger, thing, waitFor } from './support/helpers';

/** Real RabbitMQ (the shared server, in a vhost of this file's own); tiers in milliseconds. */
const TIERS = [200, 400, 800];

describe('retries and parking', () => {
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

  function startBroker(topology: Topology, isTransientError?: (error: unknown) => boolean): Broker {
    broker = createBroker({ url: vhost.url, topology, logger: testLogger(), registry, ...(isTransientError ? { isTransientError } : {}) });
    return broker;
  }

  const metric = (name: string, queue: string) => counterValue(registry, `pingback_messages_${name}_total`, queue);

  it('when our own infrastructure keeps failing past the last attempt, then the message is retried on the infrastructure pauses without spending an attempt, and handled once it recovers', async () => {
    const queue = 'broker-test:thing:outage';
    class DatabaseDown extends Error {}
    const things = singleQueue(queue, 'test.thing.outage', [50, 100]);
    const broker = startBroker(withInfrastructureRetryDelays(things.topology, [60, 120]), (error) => error instanceof DatabaseDown);
    const attempts: number[] = [];
    broker.consume(things.subscription, async (_message, ctx) => {
      attempts.push(ctx.attempt);
      // Three attempts are allowed; the "database" is down for the first six.
      if (attempts.length <= 6) throw new DatabaseDown('connection refused');
    });
    await broker.start();

    await broker.publish(things.publication, { n: 7 });
    await waitFor('the message is handled once the outage ends', async () => (await metric('acked', queue)) === 1);

    expect(attempts).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(await metric('parked', queue)).toBe(0);
  });

  it('when a handler fails three times, then the message is retried after growing delays and handled once', async () => {
    const queue = 'broker-test:thing:flaky';
    const things = singleQueue(queue, 'test.thing.flaky', TIERS);
    const broker = startBroker(things.topology);
    const calls: { attempt: number; maxAttempts: number; isLastAttempt: boolean; traceId: string; at: number }[] = [];
    let successes = 0;
    broker.consume(things.subscription, async (_message, ctx) => {
      calls.push({ ...ctx, at: performance.now() });
      if (ctx.attempt <= 3) throw new Error(`flaky failure ${ctx.attempt}`);
      successes++;
    });
    await broker.start();

    const message = await broker.publish(things.publication, { n: 1 }, { traceId: 'trace-flaky' });
    await waitFor('the message is handled and acked', async () => (await metric('acked', queue)) === 1);

    expect(successes).toBe(1);
    expect(calls.map(({ attempt, maxAttempts, isLastAttempt }) => ({ attempt, maxAttempts, isLastAttempt }))).toEqual([
      { attempt: 1, maxAttempts: 4, isLastAttempt: false },
      { attempt: 2, maxAttempts: 4, isLastAttempt: false },
      { attempt: 3, maxAttempts: 4, isLastAttempt: false },
      { attempt: 4, maxAttempts: 4, isLastAttempt: true },
    ]);
    expect(calls.every((call) => call.traceId === message.traceId)).toBe(true);
    const waits = calls.slice(1).map((call, index) => call.at - (calls[index] as { at: number }).at);
    waits.forEach((waited, index) => expect(waited).toBeGreaterThanOrEqual(TIERS[index] as number));
    expect(await metric('retried', queue)).toBe(3);
    expect(await metric('parked', queue)).toBe(0);
    expect(await metric('consumed', queue)).toBe(4);
  });

  it('when a handler always fails, then the message is parked with its attempts and last error, and a replay gets it handled', async () => {
    const queue = 'broker-test:thing:doomed';
    const things = singleQueue(queue, 'test.thing.doomed', TIERS);
    const topology = things.topology;
    const broker = startBroker(topology);
    let downstreamUp = false;
    const handledOnAttempt: number[] = [];
    broker.consume(things.subscription, async (_message, ctx) => {
      if (!downstreamUp) throw new Error('downstream is down');
      handledOnAttempt.push(ctx.attempt);
    });
    await broker.start();

    const message = thing(2);
    await broker.publishEnvelope(things.publication, message);
    await waitFor('the message is parked', async () => (await metric('parked', queue)) === 1);

    const [report] = await listParked({ url: vhost.url, topology, queue });
    expect(report).toMatchObject({ queue, parkedQueue: `${queue}.parked`, count: 1 });
    expect(report?.messages).toEqual([
      expect.objectContaining({
        id: message.id,
        type: 'test.thing',
        attempt: 4,
        reason: 'attempts_exhausted',
        lastError: 'Error: downstream is down',
      }),
    ]);
    expect(await metric('retried', queue)).toBe(3);
    expect(handledOnAttempt).toEqual([]);

    downstreamUp = true;
    await expect(replayParked({ url: vhost.url, topology, queue })).resolves.toEqual({ replayed: 1 });
    await waitFor('the replayed message is handled', () => handledOnAttempt.length === 1);
    expect(handledOnAttempt).toEqual([1]);
    const [after] = await listParked({ url: vhost.url, topology, queue });
    expect(after?.count).toBe(0);
  });

  it('when a handler throws NonRetryableError, then the message is parked at once', async () => {
    const queue = 'broker-test:thing:hopeless';
    const things = singleQueue(queue, 'test.thing.hopeless', TIERS);
    const topology = things.topology;
    const broker = startBroker(topology);
    let calls = 0;
    broker.consume(things.subscription, async () => {
      calls++;
      throw new NonRetryableError('the target said 410 Gone');
    });
    await broker.start();

    await broker.publish(things.publication, { n: 3 });
    await waitFor('the message is parked', async () => (await metric('parked', queue)) === 1);

    const [report] = await listParked({ url: vhost.url, topology, queue });
    expect(report?.messages).toEqual([
      expect.objectContaining({ attempt: 1, reason: 'non_retryable', lastError: 'NonRetryableError: the target said 410 Gone' }),
    ]);
    expect(calls).toBe(1);
    expect(await metric('retried', queue)).toBe(0);
  });

  it('when a handler asks for a longer delay than its tier, then the retry waits in the smallest Retry-After tier at least that long', async () => {
    const queue = 'broker-test:thing:throttled';
    const things = singleQueue(queue, 'test.thing.throttled', TIERS, { retryAfterTiersMs: [1_000, 1_500, 3_000] });
    const broker = startBroker(things.topology);
    const calledAt: number[] = [];
    const announced: number[] = [];
    broker.consume(things.subscription, async (_message, ctx) => {
      calledAt.push(performance.now());
      announced.push(ctx.nextRetryDelayMs(1_234), ctx.nextRetryDelayMs(), ctx.nextRetryDelayMs(60_000));
      if (ctx.attempt === 1) ctx.retryAfterMs(1_234);
    });
    await broker.start();

    await broker.publish(things.publication, { n: 4 });
    await waitFor('the retried message is handled', async () => (await metric('acked', queue)) === 1);

    expect(calledAt).toHaveLength(2);
    // Asked for 1.234 s: the 1.5 s tier; not asking: the schedule; asking for more than any tier: the longest.
    expect(announced.slice(0, 3)).toEqual([1_500, 200, 3_000]);
    const waited = (calledAt[1] as number) - (calledAt[0] as number);
    expect(waited).toBeGreaterThanOrEqual(1_500);
    expect(waited).toBeLessThan(3_000);
  });
});
