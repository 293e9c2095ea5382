import { startRedisServer, type RedisServer } from '@pingback/testing';
import { managementRouter, seed002Router } from '../src/http/families';
import { clientAddress } from '../src/auth/client-address';
import { createAuthWorld, type AuthWorld } from './support/auth-world';
import { familyApp } from './support/family-app';
import { serve, type Reply, type Served } from './support/http-client';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const ATTACKER = '127.0.0.2';
const OWNER_ELSEWHERE = '127.0.0.3';

/** `count` requests, `concurrency` at a time, in order of sending. */
async function burst(count: number, concurrency: number, send: (i: number) => Promise<Reply>): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => send(start + i));
    replies.push(...(await Promise.all(batch)));
  }
  return replies;
}

function appFor(world: AuthWorld) {
  const management = managementRouter(world).get('/api/things', (req, res) => void res.json({ account: req.accountId }));
  const seed002 = seed002Router(world, { bodyLimitBytes: 64 * 1024 }).get('/api/workflows', (req, res) => void res.json({ account: req.accountId }));
  return familyApp([management, seed002]);
}

describe('failed credentials are throttled per route family and client address', () => {
  let clock = Date.UTC(2026, 0, 1, 12, 0, 5);
  let world: AuthWorld;
  let app: Served;
  let owner: { id: string; apiKey: string };

  beforeAll(async () => {
    // The contract's limit, on a clock the test moves, so 300 requests stay inside one minute.
    world = await createAuthWorld({ failuresPerMinute: 20, now: () => clock });
    owner = await world.newAccount();
    app = await serve(appFor(world));
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
  });

  test('when one address sends 300 wrong keys, then the 21st and later get 429 with Retry-After while the owner elsewhere gets in', async () => {
    const replies = await burst(300, 25, (i) => app.request('/api/things', { headers: bearer(`pbk_guess_${i}`), from: ATTACKER }));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(280);
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    const elsewhere = await app.request('/api/things', { headers: bearer(owner.apiKey), from: OWNER_ELSEWHERE });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.account).toBe(owner.id);
  });

  test('when the throttled address presents a valid key, then it still gets in (only failures are refused)', async () => {
    expect((await app.request('/api/things', { headers: bearer('pbk_guess_again'), from: ATTACKER })).status).toBe(429);
    const sameAddress = await app.request('/api/things', { headers: bearer(owner.apiKey), from: ATTACKER });
    expect(sameAddress.status).toBe(200);
  });

  test('when the throttled address fails in another family, then that family counts on its own', async () => {
    const reply = await app.request('/api/workflows?key=pbk_guess_seed', { from: ATTACKER });
    expect(reply.status).toBe(401);
  });

  test('when another address fails a few times, then it gets 401, not the first address 429', async () => {
    expect((await app.request('/api/things', { headers: bearer('pbk_typo'), from: OWNER_ELSEWHERE })).status).toBe(401);
  });

  test('when the minute has passed, then the address is forgiven', async () => {
    clock += 60_000;
    expect((await app.request('/api/things', { headers: bearer('pbk_guess_later'), from: ATTACKER })).status).toBe(401);
  });

  test('when a request has no credential at all, then it is not counted as a failure', async () => {
    const replies = await burst(30, 10, () => app.request('/api/things', { from: '127.0.0.4' }));
    expect(replies.every((r) => r.status === 401)).toBe(true);
    expect((await app.request('/api/things', { headers: bearer('pbk_first_guess'), from: '127.0.0.4' })).status).toBe(401);
  });
});

describe('with Redis down, failed credentials are not throttled (fail open)', () => {
  let redis: RedisServer;
  let world: AuthWorld;
  let app: Served;

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: false });
    world = await createAuthWorld({ failuresPerMinute: 5, redisUrl: redis.url });
    app = await serve(appFor(world));
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await redis?.stop();
  });

  test('when Redis is stopped, then wrong keys keep getting 401, counted in the fail-open metric, and the owner gets in', async () => {
    const owner = await world.newAccount();
    await redis.stop();
    const replies = await burst(20, 5, (i) => app.request('/api/things', { headers: bearer(`pbk_guess_${i}`), from: ATTACKER }));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(401));
    const metric = await world.failOpen.get();
    expect(metric.values.find((v) => v.labels.operation === 'credential-failures.management')?.value).toBe(20);
    expect((await app.request('/api/things', { headers: bearer(owner.apiKey), from: ATTACKER })).status).toBe(200);
  });
});

describe('the client address a failure counts against', () => {
  const of = (remoteAddress: string) => clientAddress({ socket: { remoteAddress } } as never);

  test('when the peer is IPv4 or IPv4-mapped IPv6, then it is the IPv4 address', () => {
    expect(of('203.0.113.7')).toBe('203.0.113.7');
    expect(of('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  test('when the peer is IPv6, then its /64 counts, however it is written', () => {
    expect(of('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(of('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(of('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(of('::1')).toBe('0:0:0:0::/64');
    expect(of('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
