import { randomBytes } from 'node:crypto';
import { EXCHANGES, publications } from '@pingback/contracts';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, internalCallCredential } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, type IsolatedTestFile, type JsonClient, type MessageTap } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startGateway } from '../src/start-gateway';

const ADMIN_KEY = `admin_${randomBytes(16).toString('hex')}`;

let isolated: IsolatedTestFile;
let commands: MessageTap;
let gateway: RunningService;
let api: JsonClient;
let channel: { id: string; token: string };
let internalCredential: string;

beforeAll(async () => {
  isolated = await isolateTestFile();
  commands = await tapExchange(isolated.rabbitUrl, EXCHANGES.commands);
  // No response-store runs beside it: reads it would answer get 503, which the tests below rely on.
  const env = serviceEnv(isolated, { PORT: '0', PINGBACK_ADMIN_KEY: ADMIN_KEY, RESPONSE_STORE_URL: 'http://127.0.0.1:9' });
  internalCredential = internalCallCredential(createKeyring(env.PINGBACK_SECRET_KEY!));
  gateway = await startGateway(loadConfig(env));
  api = jsonClient(`http://127.0.0.1:${gateway.publicPort}`);
  const account = await api('POST', '/admin/accounts', { name: 'Ops' }, { authorization: `Bearer ${ADMIN_KEY}` });
  const created = await api('POST', '/api/channels', { name: 'deploys' }, { authorization: `Bearer ${account.body.api_key as string}` });
  channel = created.body as typeof channel;
});

afterAll(async () => {
  await gateway.stop('test finished');
  await commands.close();
  await isolated.cleanup();
});

describe('ingest-gateway in process, on real Postgres, RabbitMQ and Redis', () => {
  test('when a send is accepted, then it answers with its id only after notification.requested is in the broker', async () => {
    const reply = await api('POST', `/v1/send/${channel.token}`, {
      title: 'Deploy to Production?',
      priority: 'high',
      actions: [{ type: 'button', label: 'Deploy', key: 'deploy', style: 'primary' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ok: true, id: expect.stringMatching(/^msg_/) });
    const command = await commands.next((message) => message.payload.messageId === reply.body.id, 'notification.requested');
    expect(command).toMatchObject({ type: publications.notificationRequested.type, payload: { channelId: channel.id, title: 'Deploy to Production?', priority: 'high' } });
  });

  test('when a send is not valid, then 400 validation_failed and nothing is published', async () => {
    const before = commands.all.length;
    const reply = await api('POST', `/v1/send/${channel.token}`, { body: 'no title' });
    expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    // A valid send published after it is the next message: nothing came in between.
    const next = await api('POST', `/v1/send/${channel.token}`, { title: 'after' });
    await commands.next((message) => message.payload.messageId === next.body.id, 'the valid send');
    expect(commands.all.slice(before).map((message) => message.payload.title)).toEqual(['after']);
  });

  test('when the channel token is unknown, then 401 with WWW-Authenticate', async () => {
    const reply = await api('POST', '/v1/send/pbt_unknown', { title: 'x' });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toBe('unauthorized');
    expect(reply.headers.get('www-authenticate')).toBeTruthy();
  });

  test('when the owner of the answers is unreachable, then a poll answers 503 with Retry-After, never 5xx without it', async () => {
    const sent = await api('POST', `/v1/send/${channel.token}`, { title: 'poll me' });
    const poll = await api('GET', `/v1/callback/${channel.token}/${sent.body.id as string}`);
    expect(poll.status).toBe(503);
    expect(poll.body.error).toBe('service_unavailable');
    expect(poll.headers.get('retry-after')).toBeTruthy();
  });

  test('when a poll is asked with HEAD, then 405 with Allow: GET and the answer is never asked for', async () => {
    const sent = await api('POST', `/v1/send/${channel.token}`, { title: 'peek at me' });
    const path = `/v1/callback/${channel.token}/${sent.body.id as string}`;
    // response-store is unreachable here: had HEAD run the poll, it would be 503 like the GET above.
    const head = await api('HEAD', path);
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    const post = await api('DELETE', path);
    expect(post).toMatchObject({ status: 405, body: { error: 'method_not_allowed', allow: ['GET'] } });
    expect(post.headers.get('allow')).toBe('GET');
    const options = await fetch(`http://127.0.0.1:${gateway.publicPort}${path}`, { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toBe('GET');
  });

  test('when the internal port is asked for a channel signer, then it answers its encrypted secrets', async () => {
    const internal = jsonClient(`http://127.0.0.1:${gateway.healthPort}`);
    const reply = await internal('GET', `/internal/signers/channel/${channel.id}`, undefined, { 'x-pingback-internal': internalCredential });
    expect(reply.status).toBe(200);
    expect(reply.body.secrets).toHaveLength(1);
    expect(JSON.stringify(reply.body)).not.toContain('whsec_');
  });

  test('when the internal port is asked for a channel signer without our credential, then it is 404 and reveals nothing', async () => {
    const reply = await jsonClient(`http://127.0.0.1:${gateway.healthPort}`)('GET', `/internal/signers/channel/${channel.id}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('not_found');
    expect(reply.body.secrets).toBeUndefined();
  });
});
