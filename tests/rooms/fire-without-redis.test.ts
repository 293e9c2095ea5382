import { startRedisServer, waitFor, type RedisServer } from '@pingback/testing';
import { readiness } from '../support/health';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';
import { createRoom, createWebhook, fire } from './room-support';

/**
 * CONTRACT §2 and §7: a fire's Idempotency-Key lives in Redis with a unique row in Postgres behind it. A Redis
 * that comes back empty, or is gone, must not let one key fire twice. The stack runs against a Redis of this
 * file's own, without persistence: a restart loses every key.
 */
describe('when Redis loses the keys of fires or goes away', () => {
  let redis: RedisServer;
  let member: Receiver;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: false });
    member = await startReceiver();
    stack = await startStack({ REDIS_URL: redis.url });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
    await member?.close();
  });

  const pingsReceived = (title: string) => member.requests.filter((r) => (r.json as { title?: string }).title === title).length;

  test('when Redis restarts empty after a keyed fire, then the same key replays the first answer from Postgres and pings no one again', async () => {
    const room = await createRoom(stack, 'Restart', `${member.url}/member`);
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
    const first = await fire(webhook, { title: 'Before restart' }, { 'idempotency-key': 'build-1' });
    expect(first.status).toBe(200);
    await waitFor(() => (pingsReceived('Before restart') === 1 ? true : undefined));

    await redis.restart();
    await waitFor(async () => ((await readiness(stack, 'ingest-gateway')).body.checks.redis === 'ok' ? true : undefined), {
      timeoutMs: 15_000,
      description: 'the gateway to reconnect to Redis',
    });
    const again = await fire(webhook, { title: 'Before restart' }, { 'idempotency-key': 'build-1' });
    expect(again.status).toBe(200);
    // Byte for byte, in seed 004's key order, though Postgres keeps the answer as jsonb.
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pingsReceived('Before restart')).toBe(1);
  });

  test('when Redis is gone, then fires still answer, and ten parallel fires sharing a key ping once with one answer', async () => {
    const room = await createRoom(stack, 'No Redis', `${member.url}/member`);
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
    await redis.stop();
    await waitFor(async () => ((await readiness(stack, 'ingest-gateway')).body.checks.redis !== 'ok' ? true : undefined), {
      timeoutMs: 15_000,
      description: 'the gateway to see Redis gone',
    });

    const replies = await Promise.all(Array.from({ length: 10 }, () => fire(webhook, { title: 'Without Redis' }, { 'idempotency-key': 'deploy-9' })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    await waitFor(() => (pingsReceived('Without Redis') >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pingsReceived('Without Redis')).toBe(1);
  });
});
