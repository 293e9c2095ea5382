import net from 'node:net';
import { waitFor } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { metricValue } from '../support/health';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';
import {
  hostileAnswerBodies,
  hostileFormBodies,
  hostileJsonBodies,
  hostileSendBodies,
  json,
  VALIDATION_FAILED,
  type Expected,
  type HostileCase,
  type RawBody,
} from './hostile-values';
import { rawRequest as sendRaw } from './raw-request';

/**
 * Every public route of the running stack, walked with hostile values. Each must answer a 4xx with a stable code
 * (CONTRACT §4: never a 5xx) and leave nothing behind: no publish from the gateway, no new channel or
 * destination, no answer on the open message.
 */

const HEADERS_TIMEOUT_MS = 1_000;
const FORM_ACTIONS = [
  { type: 'select', label: 'Environment', key: 'env', options: [{ label: 'Staging', value: 'staging' }] },
  { type: 'text', label: 'Note', key: 'note' },
  ...DEPLOY_ACTIONS,
];
const ZOD_WORDING = /Invalid|expected \w+, received|discriminator/;

let stack: Stack;
let receiver: Receiver;
let channel: ChannelCredentials;
let messageId: string;
let respondLink: string;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({ PINGBACK_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) });
  channel = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/hook` }]);
  messageId = await send(stack, channel.token, { title: 'Release 1.2?', actions: FORM_ACTIONS });
  respondLink = (await respondUrls(stack, channel.apiKey, messageId))[0]!;
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** What a user or operator can see of the stack's state: the gateway's publishes, the channels, the answer. */
async function observableState() {
  const channels = await request(`${stack.url}/api/channels`, { headers: bearer(channel.apiKey) });
  const message = await request<{ answer?: unknown }>(`${stack.url}/api/messages/${messageId}`, { headers: bearer(channel.apiKey) });
  return {
    publishes: await metricValue(stack, 'ingest-gateway', 'pingback_publish_duration_seconds_count'),
    channels: channels.body,
    answer: message.body.answer ?? null,
  };
}

const rawRequest = (method: string, path: string, raw?: RawBody, headers: Record<string, string> = {}) => sendRaw(stack.url, method, path, raw, headers);

/** The request gets `expected`, in CONTRACT §4's shape and our own words, and the stack's state is as before. */
async function expectRefusedAndNothingRecorded(attempt: () => Promise<{ status: number; body: unknown }>, expected: Expected) {
  const before = await observableState();
  const response = await attempt();
  expect(response).toEqual({ status: expected.status, body: expect.objectContaining({ error: expected.error, message: expect.any(String) }) });
  if (expected.error === 'validation_failed') {
    const fields = (response.body as { fields: { path: string; message: string }[] }).fields;
    expect(fields).toEqual(expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]));
    for (const field of fields) expect(field.message).not.toMatch(ZOD_WORDING);
  }
  expect(await observableState()).toEqual(before);
}

/** Never contacted: every request that names it is refused, and the state check would catch one that is not. */
const UNUSED_URL = 'http://127.0.0.1:9/hook';

interface JsonRoute {
  name: string;
  path: () => string;
  headers: () => Record<string, string>;
  valid: Record<string, unknown>;
  /** A text field the route stores. */
  field: string;
  /** Hostile values only this route takes. */
  extra?: (valid: Record<string, unknown>) => HostileCase[];
}

const JSON_ROUTES: JsonRoute[] = [
  {
    name: 'POST /v1/send/{token}',
    path: () => `/v1/send/${channel.token}`,
    headers: () => ({}),
    valid: { title: 'Deploy?', actions: DEPLOY_ACTIONS },
    field: 'title',
    extra: hostileSendBodies,
  },
  {
    name: 'POST {respond_url} as JSON',
    path: () => new URL(respondLink).pathname,
    headers: () => ({}),
    valid: { triggered_by: 'deploy', responses: { env: 'staging' } },
    field: 'triggered_by',
    extra: hostileAnswerBodies,
  },
  { name: 'POST /admin/accounts', path: () => '/admin/accounts', headers: () => bearer(stack.adminKey), valid: { name: 'Acme' }, field: 'name' },
  { name: 'POST /api/keys', path: () => '/api/keys', headers: () => bearer(channel.apiKey), valid: { name: 'ci' }, field: 'name' },
  {
    name: 'POST /api/channels',
    path: () => '/api/channels',
    headers: () => bearer(channel.apiKey),
    valid: { name: 'Ops', destinations: [{ type: 'webhook', url: UNUSED_URL }] },
    field: 'name',
  },
  {
    name: 'POST /api/channels/{id}/destinations',
    path: () => `/api/channels/${channel.channelId}/destinations`,
    headers: () => bearer(channel.apiKey),
    valid: { type: 'webhook', url: UNUSED_URL },
    field: 'url',
  },
];

describe.each(JSON_ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  const cases = [...hostileJsonBodies(route.valid, route.field), ...(route.extra?.(route.valid) ?? [])];

  test.each(cases)('when the body has %s, then a 4xx with a stable code and nothing is recorded', async (_case, body, expected) => {
    await expectRefusedAndNothingRecorded(() => rawRequest('POST', route.path(), body, route.headers()), expected);
  });
});

describe('POST {respond_url} as the respond page’s form', () => {
  test.each(hostileFormBodies())('when the form has %s, then a 4xx with a stable code and the message stays unanswered', async (_name, body, expected) => {
    await expectRefusedAndNothingRecorded(() => rawRequest('POST', new URL(respondLink).pathname, body), expected);
  });
});

describe('URLs that Postgres could not look up', () => {
  const cases: [string, string, () => string][] = [
    ['a send to a token with %00', 'POST', () => '/v1/send/pbt_%00'],
    ['a poll of msg_%00', 'GET', () => `/v1/callback/${channel.token}/msg_%00`],
    ['a poll of an id that does not percent-decode', 'GET', () => `/v1/callback/${channel.token}/msg_%E0%A4%A`],
    ['a poll of an id holding the bytes of a lone surrogate', 'GET', () => `/v1/callback/${channel.token}/msg_%ED%A0%80`],
    ['a respond link with %00', 'GET', () => '/r/dlv_%00.sig'],
    ['an answer to a respond link with %00', 'POST', () => '/r/dlv_%00.sig'],
    ['an inbox link with %00', 'GET', () => '/inbox/ch_%00.sig'],
    ['a channel id with %00', 'GET', () => '/api/channels/ch_%00'],
    ['a channel id that does not percent-decode', 'GET', () => '/api/channels/ch_%E0%A4%A'],
    ['rotate-token of a channel id with %00', 'POST', () => '/api/channels/ch_%00/rotate-token'],
    ['rotate-secret of a channel id with %00', 'POST', () => '/api/channels/ch_%00/rotate-secret'],
    ['a destination for a channel id with %00', 'POST', () => '/api/channels/ch_%00/destinations'],
    ['a channel list cursor with %00', 'GET', () => '/api/channels?cursor=ch_%00'],
    ['a message list cursor that is no id', 'GET', () => '/api/messages?cursor=not-a-cursor'],
    ['a key list cursor of SQL', 'GET', () => `/api/keys?cursor=${encodeURIComponent("' OR 1=1 --")}`],
    ['a channel list limit of 1e400', 'GET', () => '/api/channels?limit=1e400'],
    ['a channel list limit that is no number', 'GET', () => '/api/channels?limit=lots'],
    ['a message list limit in scientific notation', 'GET', () => '/api/messages?limit=1e2'],
    ['a message id with %00', 'GET', () => '/api/messages/msg_%00'],
  ];

  test.each(cases)('when %s arrives, then 400 validation_failed and nothing is recorded', async (_name, method, path) => {
    const body: RawBody | undefined = method === 'POST' ? json(JSON.stringify({ title: 'Deploy?', type: 'webhook', url: UNUSED_URL })) : undefined;
    await expectRefusedAndNothingRecorded(() => rawRequest(method, path(), body, bearer(channel.apiKey)), VALIDATION_FAILED);
  });
});

describe('after the walk', () => {
  test('when a valid send follows, then it is accepted and delivered: the gateway still serves', async () => {
    const id = await send(stack, channel.token, { title: 'Still here', data: { nested: { ok: true } } });
    const delivered = await waitFor(() => receiver.requests.find((r) => (r.json as { message_id?: string }).message_id === id), {
      timeoutMs: 30_000,
      description: 'the notification at the webhook destination',
    });
    expect(delivered.json).toMatchObject({ title: 'Still here', data: { nested: { ok: true } } });
  });

  // The control of the table: each hostile body is its route's valid body with one thing changed, so a refusal
  // above was that one thing's doing. Last, because the answer closes the open message.
  test.each(JSON_ROUTES.map((route) => [route.name, route] as const))('when %s gets the valid body of the table, then it accepts it', async (_name, route) => {
    const response = await rawRequest('POST', route.path(), json(JSON.stringify(route.valid)), route.headers());
    expect([200, 201]).toContain(response.status);
  });
});

describe('a slow client (slowloris)', () => {
  test('when a client sends its request headers byte by byte, then the gateway cuts it off after the configured time-out', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(new URL(stack.url).port) });
    const started = Date.now();
    let received = '';
    let drip: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(`POST /v1/send/${channel.token} HTTP/1.1\r\nHost: localhost\r\n`);
      const header = 'X-Slow: yes\r\n';
      let next = 0;
      drip = setInterval(() => socket.write(header[next++ % header.length]!), 50);
    });
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const afterMs = await new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    clearInterval(drip);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS * 2 + 1_000);
  });
});
