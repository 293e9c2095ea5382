import { startRedisServer, waitFor, type RedisServer } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, respondUrls, send, type ChannelCredentials } from '../support/api';
import { expectError } from '../support/errors';
import { metricValue, readiness } from '../support/health';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

/** Low enough that the Redis-down test can exceed it, so a send that still answers 200 shows the fail-open. */
const SEND_RATE_PER_MINUTE = 3;

/**
 * CONTRACT §2: Redis is the fast path and may be lost at any time. Postgres decides every "first one wins", so
 * a Redis that comes back empty lets nothing happen twice, and a Redis that is gone costs only the fast path.
 * The stack runs against a Redis of this file's own, without persistence: a restart loses every key.
 */
describe('when Redis loses its data or goes away', () => {
  let redis: RedisServer;
  let destination: Receiver;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: false });
    destination = await startReceiver();
    stack = await startStack({ REDIS_URL: redis.url, PINGBACK_SEND_RATE_PER_MINUTE: String(SEND_RATE_PER_MINUTE) });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
    await destination?.close();
  });

  // Two deliveries per message (the web inbox and a webhook), so two respond links.
  const channelWithTwoLinks = (): Promise<ChannelCredentials> => createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);

  const redisState = async (name: 'ingest-gateway' | 'response-store') => (await readiness(stack, name)).body.checks.redis;

  test('when Redis restarts empty after A was answered, then A is never answered again and is read exactly once; a new B works', async () => {
    const channel = await channelWithTwoLinks();
    const a = await send(stack, channel.token, { title: 'Deploy A?', actions: DEPLOY_ACTIONS });
    const links = await respondUrls(stack, channel.apiKey, a);
    expect(links).toHaveLength(2);
    expect((await answer(links[0]!, { triggered_by: 'deploy' })).status).toBe(201);

    await redis.restart();
    // Back and empty: both services that use Redis see it again, so the checks below run with a Redis that
    // answers but has forgotten everything, not one that is down.
    await waitFor(async () => (await redisState('ingest-gateway')) === 'ok' && (await redisState('response-store')) === 'ok', {
      timeoutMs: 15_000,
      intervalMs: 100,
      description: 'the services to reconnect to Redis',
    });

    expectError(await answer(links[0]!, { triggered_by: 'cancel' }), 409, 'already_responded');
    expectError(await answer(links[1]!, { triggered_by: 'cancel' }), 409, 'already_responded');

    const first = await poll(stack, channel.token, a);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'submitted', result: { message_id: a, triggered_by: 'deploy', responses: {} } });
    expect((await poll(stack, channel.token, a)).body).toEqual({ status: 'already_read' });
    expect((await poll(stack, channel.token, a)).body).toEqual({ status: 'already_read' });

    const b = await send(stack, channel.token, { title: 'Deploy B?', actions: DEPLOY_ACTIONS });
    const [linkB] = await respondUrls(stack, channel.apiKey, b);
    expect((await answer(linkB!, { triggered_by: 'cancel' })).status).toBe(201);
    expectError(await answer(linkB!, { triggered_by: 'deploy' }), 409, 'already_responded');
    expect((await poll(stack, channel.token, b)).body).toMatchObject({ status: 'submitted', result: { message_id: b, triggered_by: 'cancel' } });
    expect((await poll(stack, channel.token, b)).body).toEqual({ status: 'already_read' });
  });

  // Runs last: the file's Redis does not come back after stop().
  test('when Redis is stopped, then sends (past the rate limit), answers and polls go on and /readyz stays 200 with redis degraded', async () => {
    const channel = await channelWithTwoLinks();
    const failOpenBefore = await metricValue(stack, 'ingest-gateway', 'pingback_redis_fail_open_total', { operation: 'rate-limit.send' });
    await redis.stop();

    const ready = await waitFor(
      async () => {
        const response = await readiness(stack);
        return response.body.checks.redis === 'degraded' && response;
      },
      { timeoutMs: 10_000, intervalMs: 100, description: 'the gateway to notice Redis is gone' },
    );
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { broker: 'ok', postgres: 'ok', redis: 'degraded' } });

    // More sends than the per-minute limit: with no Redis to count them, every one goes ahead (fail open).
    const ids: string[] = [];
    for (let i = 0; i < SEND_RATE_PER_MINUTE + 2; i += 1) {
      ids.push(await send(stack, channel.token, { title: `Without Redis ${i}`, actions: DEPLOY_ACTIONS }));
    }
    const failOpenAfter = await metricValue(stack, 'ingest-gateway', 'pingback_redis_fail_open_total', { operation: 'rate-limit.send' });
    expect(failOpenAfter - failOpenBefore).toBeGreaterThanOrEqual(ids.length);

    const [answered, unanswered] = ids;
    const links = await respondUrls(stack, channel.apiKey, answered!);
    expect(links).toHaveLength(2);
    const accepted = await answer(links[1]!, { triggered_by: 'deploy' });
    expect(accepted.status).toBe(201);
    expectError(await answer(links[0]!, { triggered_by: 'cancel' }), 409, 'already_responded');

    expect((await poll(stack, channel.token, answered!)).body).toMatchObject({ status: 'submitted', result: { triggered_by: 'deploy' } });
    expect((await poll(stack, channel.token, answered!)).body).toEqual({ status: 'already_read' });
    expect((await poll(stack, channel.token, unanswered!)).body).toEqual({ status: 'pending' });

    const stillReady = await readiness(stack);
    expect(stillReady.status).toBe(200);
    expect(stillReady.body.checks.redis).toBe('degraded');
    expect((await readiness(stack, 'response-store')).status).toBe(200);
  });
});
