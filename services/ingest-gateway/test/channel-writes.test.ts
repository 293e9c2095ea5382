import { randomBytes } from 'node:crypto';
import { MAX_DESTINATIONS } from '@pingback/contracts';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, hashSecret, type Keyring } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, type IsolatedTestFile, type JsonClient } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { createChannelRepository, type ChannelRepository } from '../src/data/channel.repository';
import { createGatewayDb, type GatewayDb } from '../src/data/prisma';
import { startGateway } from '../src/start-gateway';

// Real: Postgres, Redis, RabbitMQ, the gateway in this process; a second repository on the same tables deletes
// channels (as DELETE /api/channels does once response-store has closed their messages) and plays the request
// whose ownership check passed just before the channel was deleted.

const ADMIN_KEY = `admin_${randomBytes(16).toString('hex')}`;

let isolated: IsolatedTestFile;
let gateway: RunningService;
let api: JsonClient;
let apiKey: string;
let accountId: string;
let keyring: Keyring;
let db: GatewayDb;
let channels: ChannelRepository;
let secretKey: string;

const auth = () => ({ authorization: `Bearer ${apiKey}` });
const newChannel = async (name: string) => (await api('POST', '/api/channels', { name }, auth())).body.id as string;

beforeAll(async () => {
  isolated = await isolateTestFile();
  const env = serviceEnv(isolated, { PORT: '0', PINGBACK_ADMIN_KEY: ADMIN_KEY, RESPONSE_STORE_URL: 'http://127.0.0.1:9', PINGBACK_ALLOW_PRIVATE_TARGETS: 'true' });
  secretKey = env.PINGBACK_SECRET_KEY!;
  keyring = createKeyring(secretKey);
  gateway = await startGateway(loadConfig(env));
  api = jsonClient(`http://127.0.0.1:${gateway.publicPort}`);
  const account = await api('POST', '/admin/accounts', { name: 'Ops' }, { authorization: `Bearer ${ADMIN_KEY}` });
  apiKey = account.body.api_key as string;
  accountId = account.body.id as string;
  db = createGatewayDb(isolated.databaseUrl);
  channels = createChannelRepository(db);
});

afterAll(async () => {
  await gateway?.stop('test finished');
  await db?.$disconnect();
  await isolated?.cleanup();
});

describe('ingest-gateway: channel writes that race a delete', () => {
  test('when the channel is deleted after the ownership check, then replacing its token changes nothing and reports it', async () => {
    const id = await newChannel('gone');
    const current = (await channels.findOwned(accountId, id))!.tokenHash;
    expect(await channels.deleteOwned(accountId, id)).toBe(true);
    await expect(channels.replaceToken(accountId, id, current, 'new-hash')).resolves.toBe(false);
  });

  test('when the channel is deleted after the ownership check, then adding a destination is not_found, not a foreign-key error', async () => {
    const id = await newChannel('gone too');
    expect(await channels.deleteOwned(accountId, id)).toBe(true);
    await expect(channels.addDestination(accountId, id, { id: 'dst_late', type: 'webhook', url: 'http://127.0.0.1:9/hook' }, MAX_DESTINATIONS)).resolves.toBe('not_found');
    expect(await db.destination.count({ where: { id: 'dst_late' } })).toBe(0);
  });

  test('when a channel is deleted while rotations and adds are under way, then every answer is 200/201 or 404, never a 5xx', async () => {
    const id = await newChannel('racing');
    const writes = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? api('POST', `/api/channels/${id}/rotate-token`, undefined, auth())
        : api('POST', `/api/channels/${id}/destinations`, { type: 'webhook', url: `http://127.0.0.1:9/hook${i}` }, auth()),
    );
    const deleted = channels.deleteOwned(accountId, id);
    const replies = await Promise.all(writes);
    expect(await deleted).toBe(true);
    for (const reply of replies) {
      expect([200, 201, 404]).toContain(reply.status);
      if (reply.status === 404) expect(reply.body.error).toBe('not_found');
    }
  });
});

describe('ingest-gateway: rotate-token at once', () => {
  test('when 10 rotations run at once, then all succeed with different tokens and exactly one of them works', async () => {
    const id = await newChannel('rotating');
    const replies = await Promise.all(Array.from({ length: 10 }, () => api('POST', `/api/channels/${id}/rotate-token`, undefined, auth())));
    expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(200));
    const tokens = replies.map((reply) => reply.body.token as string);
    expect(new Set(tokens).size).toBe(10);
    const working = [];
    for (const token of tokens) if (await channels.findByTokenHash([hashSecret(keyring, token)])) working.push(token);
    expect(working).toHaveLength(1);
    // Each rotation replaced the one before it: the inbox version counts all ten.
    expect((await channels.findOwned(accountId, id))!.inboxVersion).toBe(11);
  });
});

describe('ingest-gateway: destinations per channel', () => {
  test(`when a channel has ${MAX_DESTINATIONS} destinations, then adding one more is 409 destination_limit_reached`, async () => {
    const id = await newChannel('many');
    const url = (i: number) => ({ type: 'webhook', url: `http://127.0.0.1:9/hook${i}` });
    const added = await Promise.all(Array.from({ length: MAX_DESTINATIONS + 5 }, (_, i) => api('POST', `/api/channels/${id}/destinations`, url(i), auth())));
    expect(added.filter((reply) => reply.status === 201)).toHaveLength(MAX_DESTINATIONS);
    const refused = added.filter((reply) => reply.status !== 201);
    expect(refused).toHaveLength(5);
    for (const reply of refused) expect(reply).toMatchObject({ status: 409, body: { error: 'destination_limit_reached', limit: MAX_DESTINATIONS } });
    expect(await db.destination.count({ where: { channelId: id } })).toBe(MAX_DESTINATIONS);
  });
});

describe('ingest-gateway: a deployment with fewer destinations per channel', () => {
  let small: RunningService;
  let smallApi: JsonClient;

  beforeAll(async () => {
    const env = serviceEnv(isolated, { PORT: '0', PINGBACK_ADMIN_KEY: ADMIN_KEY, RESPONSE_STORE_URL: 'http://127.0.0.1:9', PINGBACK_ALLOW_PRIVATE_TARGETS: 'true', PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: '3' });
    small = await startGateway(loadConfig({ ...env, PINGBACK_SECRET_KEY: secretKey }));
    smallApi = jsonClient(`http://127.0.0.1:${small.publicPort}`);
  });
  afterAll(async () => {
    await small?.stop('test finished');
  });

  const hooks = (count: number) => Array.from({ length: count }, (_, i) => ({ type: 'webhook', url: `http://127.0.0.1:9/small${i}` }));

  test('when a channel is created with more destinations than PINGBACK_MAX_DESTINATIONS_PER_CHANNEL, then it is 409 destination_limit_reached and nothing is created', async () => {
    const before = await db.channel.count();
    const reply = await smallApi('POST', '/api/channels', { name: 'too many', destinations: hooks(4) }, auth());
    expect(reply).toMatchObject({ status: 409, body: { error: 'destination_limit_reached', limit: 3 } });
    expect(await db.channel.count()).toBe(before);
  });

  test('when a channel is created with the limit, then adding one more is 409 destination_limit_reached', async () => {
    const created = await smallApi('POST', '/api/channels', { name: 'full', destinations: hooks(3) }, auth());
    expect(created.status).toBe(201);
    const added = await smallApi('POST', `/api/channels/${created.body.id as string}/destinations`, { type: 'webhook', url: 'http://127.0.0.1:9/one-more' }, auth());
    expect(added).toMatchObject({ status: 409, body: { error: 'destination_limit_reached', limit: 3 } });
  });
});
