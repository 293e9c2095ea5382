import { request } from '../support/api';
import { metricValue } from '../support/health';
import { startStack, type Stack } from '../support/stack';
import { createRoom, createWebhook, type TestRoom, type TestWebhook } from '../rooms/room-support';
import { hostileJsonBodies, json, type Expected, type RawBody } from './hostile-values';
import { rawRequest as sendRaw } from './raw-request';

/**
 * Seed 004's routes walked with hostile values: each must answer a 4xx with a stable code (a field that fails
 * validation is 422 there, CONTRACT §4), never fire a ping, never change a room.
 */

const ZOD_WORDING = /Invalid|expected \w+, received|discriminator/;

let stack: Stack;
let room: TestRoom;
let webhook: TestWebhook;

beforeAll(async () => {
  stack = await startStack();
  room = await createRoom(stack, 'Hostile');
  webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** What a user can see: the gateway's publishes (a ping publishes), the rooms, the webhooks, the outgoing config. */
async function observableState() {
  const get = async (path: string) => (await request(`${stack.url}${path}`, { headers: room.auth })).body;
  return {
    publishes: await metricValue(stack, 'ingest-gateway', 'pingback_publish_duration_seconds_count'),
    rooms: await get('/api/rooms'),
    webhooks: await get(`/api/rooms/${room.code}/webhooks`),
    outgoing: await get(`/api/rooms/${room.code}/outgoing-webhook`),
  };
}

const rawRequest = (method: string, path: string, raw?: RawBody, headers: Record<string, string> = {}) => sendRaw(stack.url, method, path, raw, headers);

async function expectRefusedAndNothingChanged(attempt: () => Promise<{ status: number; body: unknown }>, expected: Expected) {
  const before = await observableState();
  const response = await attempt();
  expect(response).toEqual({ status: expected.status, body: expect.objectContaining({ error: expected.error, message: expect.any(String) }) });
  if (expected.error === 'validation_failed') {
    for (const field of (response.body as { fields: { message: string }[] }).fields) expect(field.message).not.toMatch(ZOD_WORDING);
  }
  expect(await observableState()).toEqual(before);
}

/** Seed 004's routes answer validation_failed with 422; the rest of the catalogue is unchanged. */
const seed004 = (expected: Expected): Expected => (expected.error === 'validation_failed' ? { ...expected, status: 422 } : expected);

interface RoomRoute {
  name: string;
  method: 'POST' | 'PUT';
  path: () => string;
  valid: Record<string, unknown>;
  field: string;
}

const ROUTES: RoomRoute[] = [
  { name: 'POST /api/webhooks/{inviteCode}/{secret}', method: 'POST', path: () => new URL(webhook.webhook_url).pathname, valid: { title: 'Deploy finished', data: { env: 'prod' } }, field: 'title' },
  { name: 'POST /api/rooms', method: 'POST', path: () => '/api/rooms', valid: { name: 'Another room' }, field: 'name' },
  { name: 'POST /api/rooms/{code}/webhooks', method: 'POST', path: () => `/api/rooms/${room.code}/webhooks`, valid: { name: 'Cron', label: 'Nightly' }, field: 'label' },
  { name: 'PUT /api/rooms/{code}/webhooks/{id}', method: 'PUT', path: () => `/api/rooms/${room.code}/webhooks/${webhook.id}`, valid: { message: 'Build is green' }, field: 'message' },
  { name: 'POST /api/rooms/{code}/ping', method: 'POST', path: () => `/api/rooms/${room.code}/ping`, valid: { title: 'Lunch', sender: 'Mia' }, field: 'sender' },
  { name: 'PUT /api/rooms/{code}/outgoing-webhook', method: 'PUT', path: () => `/api/rooms/${room.code}/outgoing-webhook`, valid: { url: 'http://127.0.0.1:9/out', enabled: false }, field: 'url' },
];

describe.each(ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  const headers = () => (route.path().startsWith('/api/webhooks/') ? {} : room.auth);
  test.each(hostileJsonBodies(route.valid, route.field))('when the body has %s, then a 4xx with a stable code and nothing changes', async (_case, body, expected) => {
    await expectRefusedAndNothingChanged(() => rawRequest(route.method, route.path(), body, headers()), seed004(expected));
  });
});

describe('hostile values only the fire route takes', () => {
  const fire = (raw: RawBody, headers: Record<string, string> = {}) => rawRequest('POST', new URL(webhook.webhook_url).pathname, raw, headers);
  const cases: [string, RawBody][] = [
    ['action 0', json('{"action":0}')],
    ['action 5', json('{"action":5}')],
    ['action "1"', json('{"action":"1"}')],
    ['action 1.5', json('{"action":1.5}')],
    ['a title of 41 characters', json(JSON.stringify({ title: 'x'.repeat(41) }))],
    ['a message of 501 characters', json(JSON.stringify({ message: 'x'.repeat(501) }))],
    ['data as an array', json('{"data":[1,2]}')],
    ['data over 16 KiB', json(JSON.stringify({ data: { blob: 'x'.repeat(17 * 1024) } }))],
  ];
  test.each(cases)('when the body has %s, then 422 validation_failed and no ping', async (_name, body) => {
    await expectRefusedAndNothingChanged(() => fire(body), { status: 422, error: 'validation_failed' });
  });

  test('when the Idempotency-Key is longer than 255 characters, then 422 and no ping', async () => {
    await expectRefusedAndNothingChanged(() => fire(json('{}'), { 'idempotency-key': 'k'.repeat(256) }), { status: 422, error: 'validation_failed' });
  });

  test.each([
    ['an invite code with %00', () => `/api/webhooks/AB%00CD/${webhook.secret}`],
    ['a secret with %00', () => `/api/webhooks/${room.code}/whk_%00`],
    ['an invite code that does not percent-decode', () => `/api/webhooks/%E0%A4%A/${webhook.secret}`],
  ])('when %s arrives, then a 4xx with a stable code and no ping', async (_name, path) => {
    const before = await observableState();
    const response = await rawRequest('POST', path(), json('{}'));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toEqual(expect.objectContaining({ error: expect.stringMatching(/^(validation_failed|room_not_found|invalid_secret)$/) }));
    expect(await observableState()).toEqual(before);
  });
});

describe('after the walk', () => {
  test.each(ROUTES.map((route) => [route.name, route] as const))('when %s gets the valid body of the table, then it accepts it', async (_name, route) => {
    const headers = route.path().startsWith('/api/webhooks/') ? {} : room.auth;
    const response = await rawRequest(route.method, route.path(), json(JSON.stringify(route.valid)), headers);
    expect([200, 201]).toContain(response.status);
  });
});
