import { randomBytes } from 'node:crypto';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, hashSecret, type Keyring } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, type IsolatedTestFile, type JsonClient } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { createChannelRepository, type ChannelRepository } from '../src/data/channel.repository';
import { createGatewayDb, type GatewayDb } from '../src/data/prisma';
import { startGateway } from '../src/start-gateway';
import { startDispatcherBeside } from './support/dispatcher-beside';

// Real: Postgres, Redis, RabbitMQ, the gateway in this process; a second repository on the same tables deletes
// channels (as DELETE /api/channels does once response-store has closed their messages) and plays the request
// whose ownership check passed just before the channel was deleted.

const ADMIN_KEY = `admin_${randomBytes(16).toString('hex')}`;

let isolated: IsolatedTestFile;
let gateway: RunningService;
let dispatcher: RunningService;
let gatewayEnv: Record<string, string>;
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
  ({ dispatcher, gatewayEnv } = await startDispatcherBeside(env));
  gateway = await startGateway(loadConfig(gatewayEnv));
  api = jsonClient(`http://127.0.0.1:${gateway.publicPort}`);
  const account = await api('POST', '/admin/accounts', { name: 'Ops' }, { authorization: `Bearer ${ADMIN_KEY}` });
  apiKey = account.body.api_key as string;
  accountId = account.body.id as string;
  db = createGatewayDb(isolated.databaseUrl);
  channels = createChannelRepository(db);
});

afterAll(async () => {
  await gateway?.stop('test finished');
  await dispatcher?.stop('test finished');
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

  test('when a channel is deleted while token and secret rotations are under way, then every answer is 200 or 404, never a 5xx', async () => {
    const id = await newChannel('racing');
    const writes = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? api('POST', `/api/channels/${id}/rotate-token`, undefined, auth())
        : api('POST', `/api/channels/${id}/rotate-secret`, undefined, auth()),
    );
    const deleted = channels.deleteOwned(accountId, id);
    const replies = await Promise.all(writes);
    expect(await deleted).toBe(true);
    for (const reply of replies) {
      expect([200, 404]).toContain(reply.status);
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
