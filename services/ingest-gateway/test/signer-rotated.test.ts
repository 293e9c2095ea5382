import { randomBytes } from 'node:crypto';
import { EXCHANGES, publications } from '@pingback/contracts';
import type { RunningService } from '@pingback/runtime';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, type IsolatedTestFile, type JsonClient, type MessageTap } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startGateway } from '../src/start-gateway';
import { startDispatcherBeside } from './support/dispatcher-beside';

// Real: Postgres, Redis, RabbitMQ (own vhost, tapped as a webhook-deliverer process would listen), the gateway
// in this process.

const ADMIN_KEY = `admin_${randomBytes(16).toString('hex')}`;

let isolated: IsolatedTestFile;
let events: MessageTap;
let gateway: RunningService;
let dispatcher: RunningService;
let api: JsonClient;
let apiKey: string;

beforeAll(async () => {
  isolated = await isolateTestFile();
  events = await tapExchange(isolated.rabbitUrl, EXCHANGES.events);
  const beside = await startDispatcherBeside(serviceEnv(isolated, { PORT: '0', PINGBACK_ADMIN_KEY: ADMIN_KEY, RESPONSE_STORE_URL: 'http://127.0.0.1:9' }));
  dispatcher = beside.dispatcher;
  gateway = await startGateway(loadConfig(beside.gatewayEnv));
  api = jsonClient(`http://127.0.0.1:${gateway.publicPort}`);
  const account = await api('POST', '/admin/accounts', { name: 'Ops' }, { authorization: `Bearer ${ADMIN_KEY}` });
  apiKey = account.body.api_key as string;
});

afterAll(async () => {
  await gateway?.stop('test finished');
  await dispatcher?.stop('test finished');
  await events?.close();
  await isolated?.cleanup();
});

describe('ingest-gateway: signer changes reach webhook-deliverer', () => {
  test('when a channel signing secret is rotated, then signer.rotated names the channel', async () => {
    const created = await api('POST', '/api/channels', { name: 'deploys' }, { authorization: `Bearer ${apiKey}` });
    const channelId = created.body.id as string;

    const rotated = await api('POST', `/api/channels/${channelId}/rotate-secret`, undefined, { authorization: `Bearer ${apiKey}` });
    expect(rotated.status).toBe(200);
    const event = await events.next((message) => message.type === publications.signerRotated.type && message.payload.id === channelId, 'signer.rotated');
    expect(event).toMatchObject({ type: 'signer.rotated', version: 1, payload: { kind: 'channel', id: channelId } });
  });

  test('when a channel signing secret is not rotated (another account asks), then nothing is announced', async () => {
    const created = await api('POST', '/api/channels', { name: 'ops' }, { authorization: `Bearer ${apiKey}` });
    const other = await api('POST', '/admin/accounts', { name: 'Other' }, { authorization: `Bearer ${ADMIN_KEY}` });
    const refused = await api('POST', `/api/channels/${created.body.id as string}/rotate-secret`, undefined, {
      authorization: `Bearer ${other.body.api_key as string}`,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // A rotation of another channel published after it is the next signer.rotated: nothing came in between.
    const marker = await api('POST', '/api/channels', { name: 'marker' }, { authorization: `Bearer ${apiKey}` });
    await api('POST', `/api/channels/${marker.body.id as string}/rotate-secret`, undefined, { authorization: `Bearer ${apiKey}` });
    await events.next((message) => message.type === 'signer.rotated' && message.payload.id === marker.body.id, 'the marker rotation');
    expect(events.all.filter((message) => message.type === 'signer.rotated' && message.payload.id === created.body.id)).toEqual([]);
  });
});
