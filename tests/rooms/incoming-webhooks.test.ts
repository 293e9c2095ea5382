import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '@pingback/testing';
import { request } from '../support/api';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';
import { verify } from '../seed-clients/verify-room-webhook.cjs';
import { createRoom, createWebhook, fire, setOutgoing } from './room-support';

const run = promisify(execFile);
const SEED_004_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
/** Seed 004's 200 body, field for field and in its order. */
const FIRE_FIELDS = ['success', 'message', 'notification_id', 'room', 'webhook', 'action', 'notification_title', 'notification_message', 'triggered_at'];
const EVENT_FIELDS = ['event', 'room', 'title', 'body', 'sender', 'action_number', 'trigger_source', 'timestamp'];

let stack: Stack;
const receivers: Receiver[] = [];

beforeAll(async () => {
  stack = await startStack({ PINGBACK_AUTH_FAILURES_PER_MINUTE: '1000' }, ['response-store', 'notification-dispatcher', 'webhook-deliverer', 'ingest-gateway']);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(reply);
  receivers.push(started);
  return started;
}

/** What seed 004's Express receiver gets: `req.header(name)` and the raw body. */
const asExpressRequest = (received: Pick<ReceivedRequest, 'headers' | 'rawBody'>) => ({
  header: (name: string) => {
    const value = received.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  },
  rawBody: received.rawBody,
});

/** Waits until the current one-minute rate window has at least `seconds` left, so a burst stays inside one window. */
async function windowWithRoom(seconds: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe("seed 004's incoming webhooks", () => {
  test("when seed 004's curl example fires a room, then it gets the seed's 200 body, the member channel gets the ping, and the outgoing webhook gets the seed's event, which seed 004's verifier accepts and rejects once altered or replayed", async () => {
    const member = await receiver();
    const outgoing = await receiver();
    const room = await createRoom(stack, 'Build Alerts', `${member.url}/member`);
    const webhook = await createWebhook(stack, room, { name: 'CI', label: 'Deploy done', emoji: '🚀' });
    const { signing_secret } = await setOutgoing(stack, room, `${outgoing.url}/out`);
    expect(webhook.secret).toMatch(/^whk_/);
    expect(signing_secret).toMatch(/^whsec_/);

    // Seed 004's example, verbatim but for the host, invite code and secret.
    const script = `curl -sX POST ${stack.url}/api/webhooks/${room.code}/${webhook.secret} \\
-H 'Content-Type: application/json' \\
-H 'Idempotency-Key: build-4821' \\
-d '{
"title": "Deploy finished",
"message": "Production is live ✅",
"action": 1,
"data": { "commit": "a1b2c3d", "env": "prod" }
}'`;
    const { stdout } = await run('bash', ['-c', script]);
    const body = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(FIRE_FIELDS);
    expect(body).toEqual({
      success: true,
      message: 'Webhook triggered successfully',
      notification_id: expect.stringMatching(/^png_/),
      room: { id: room.id, name: 'Build Alerts' },
      webhook: { id: webhook.id, name: 'CI', emoji: '🚀' },
      action: { number: 1, label: 'Deploy done', icon: '🚀' },
      notification_title: 'Deploy finished',
      notification_message: 'Production is live ✅',
      triggered_at: expect.stringMatching(SEED_004_TIMESTAMP),
    });

    const [delivered] = await member.waitForRequests(1);
    expect(delivered!.json).toMatchObject({
      event: 'notification',
      title: 'Deploy finished',
      body: 'CI: Production is live ✅',
      data: { room: { name: 'Build Alerts', code: room.code }, ping_id: body.notification_id, data: { commit: 'a1b2c3d', env: 'prod' } },
    });

    const [event] = await outgoing.waitForRequests(1);
    expect(Object.keys(event!.json as object)).toEqual(EVENT_FIELDS);
    expect(event!.json).toEqual({
      event: 'ping',
      room: { name: 'Build Alerts', code: room.code },
      title: 'Deploy finished',
      body: 'CI: Production is live ✅',
      sender: 'CI',
      action_number: 1,
      trigger_source: 'webhook',
      timestamp: body.triggered_at,
    });
    expect(event!.headers['x-pingback-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(event!.headers['webhook-id']).toMatch(/^rwh_/);
    expect(verify(asExpressRequest(event!), signing_secret)).toBe(true);
    expect(verify(asExpressRequest({ ...event!, rawBody: event!.rawBody.replace('Deploy finished', 'Deploy finishes') }), signing_secret)).toBe(false);
    expect(verify(asExpressRequest(event!), `${signing_secret}x`)).toBe(false);
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 301_000);
    try {
      expect(verify(asExpressRequest(event!), signing_secret)).toBe(false);
    } finally {
      later.mockRestore();
    }
  });

  test('when a GET or an empty POST fires, then the webhook fires its own action with its saved title and message', async () => {
    const member = await receiver();
    const room = await createRoom(stack, 'Door', `${member.url}/member`);
    await createWebhook(stack, room, { name: 'Bell', cooldown: 0 });
    const saved = await createWebhook(stack, room, { name: 'Button', label: 'Open', emoji: '🔔', title: 'Doorbell', message: 'Someone is at the door', cooldown: 0 });
    expect(saved.action_number).toBe(2);

    const byGet = await request<Record<string, unknown>>(saved.webhook_url);
    expect(byGet.status).toBe(200);
    expect(byGet.body).toMatchObject({ action: { number: 2, label: 'Open', icon: '🔔' }, notification_title: 'Doorbell', notification_message: 'Someone is at the door' });
    const byEmptyPost = await fire(saved);
    expect(byEmptyPost.status).toBe(200);
    expect(byEmptyPost.body.notification_id).not.toBe(byGet.body.notification_id);
    const other = await fire(saved, { action: 1 });
    expect(other.body).toMatchObject({ action: { number: 1, label: 'Bell', icon: null } });
    await member.waitForRequests(3);
    // A link checker's HEAD does not fire; OPTIONS says what does.
    const head = await fetch(saved.webhook_url, { method: 'HEAD' });
    expect(head.status).toBe(405);
    const options = await fetch(saved.webhook_url, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('GET, POST');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(member.requests).toHaveLength(3);
  });

  test('when the invite code, the secret or the switch is wrong, then 404 room_not_found, 403 invalid_secret and 403 webhook_disabled', async () => {
    const room = await createRoom(stack, 'Errors');
    const other = await createRoom(stack, 'Other room');
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    const otherWebhook = await createWebhook(stack, other, { name: 'CI' });

    expect(await request(`${stack.url}/api/webhooks/NOSUCHROOM/${webhook.secret}`, { body: {} })).toMatchObject({ status: 404, body: { error: 'room_not_found' } });
    expect(await request(`${stack.url}/api/webhooks/${room.code}/whk_wrong`, { body: {} })).toMatchObject({ status: 403, body: { error: 'invalid_secret' } });
    expect(await request(`${stack.url}/api/webhooks/${room.code}/${otherWebhook.secret}`, { body: {} })).toMatchObject({ status: 403, body: { error: 'invalid_secret' } });

    const off = await request(`${stack.url}/api/rooms/${room.code}/webhooks/${webhook.id}`, { method: 'PUT', body: { enabled: false }, headers: room.auth });
    expect(off.body).toMatchObject({ enabled: false });
    expect(await fire(webhook, {})).toMatchObject({ status: 403, body: { error: 'webhook_disabled' } });
  });

  test('when a field fails validation, then 422 validation_failed names it', async () => {
    const room = await createRoom(stack, 'Validation');
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
    const cases: [unknown, string][] = [
      [{ title: 'x'.repeat(41) }, 'title'],
      [{ message: 'x'.repeat(501) }, 'message'],
      [{ action: 5 }, 'action'],
      [{ action: 0 }, 'action'],
      [{ action: 1.5 }, 'action'],
      [{ data: 'not an object' }, 'data'],
      [{ title: 'nul \u0000 here' }, 'title'],
      [{ title: '   ' }, 'title'],
    ];
    for (const [body, field] of cases) {
      const reply = await fire(webhook, body);
      expect(reply).toMatchObject({ status: 422, body: { error: 'validation_failed' } });
      expect((reply.body.fields as { path: string }[]).map((f) => f.path)).toContain(field);
    }
    expect((await request(webhook.webhook_url, { rawBody: '{"title":', headers: { 'content-type': 'application/json' } })).body).toMatchObject({ error: 'invalid_json' });
    expect((await fire(webhook, {}, { 'idempotency-key': 'k'.repeat(256) })).status).toBe(422);
  });

  test('when a fifth incoming webhook is created, then 409 webhook_limit_reached, and the four have actions 1 to 4', async () => {
    const room = await createRoom(stack, 'Four');
    const created = await Promise.all([1, 2, 3, 4].map((n) => createWebhook(stack, room, { name: `Hook ${n}` })));
    expect(created.map((w) => w.action_number).sort()).toEqual([1, 2, 3, 4]);
    const fifth = await request(`${stack.url}/api/rooms/${room.code}/webhooks`, { body: { name: 'Fifth' }, headers: room.auth });
    expect(fifth).toMatchObject({ status: 409, body: { error: 'webhook_limit_reached' } });
    const listed = await request<{ data: { secret: string; webhook_url: string }[] }>(`${stack.url}/api/rooms/${room.code}/webhooks`, { headers: room.auth });
    expect(listed.headers.get('cache-control')).toBe('no-store');
    expect(listed.body.data.map((w) => w.secret).sort()).toEqual(created.map((w) => w.secret).sort());
  });

  test('when 20 fires share one Idempotency-Key on a webhook with cooldown 0, then one ping goes out and all 20 get the same body', async () => {
    const member = await receiver();
    const outgoing = await receiver();
    const room = await createRoom(stack, 'Idempotent', `${member.url}/member`);
    await setOutgoing(stack, room, `${outgoing.url}/out`);
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });

    const replies = await Promise.all(Array.from({ length: 20 }, () => fire(webhook, { title: 'Once only' }, { 'idempotency-key': 'build-1' })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    // A later replay answers the same; a new key fires again.
    const again = await fire(webhook, { title: 'Once only' }, { 'idempotency-key': 'build-1' });
    expect(again.body).toEqual(replies[0]!.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const fresh = await fire(webhook, { title: 'Second' }, { 'idempotency-key': 'build-2' });
    expect(fresh.body.notification_id).not.toBe(replies[0]!.body.notification_id);

    await member.waitForRequests(2);
    await outgoing.waitForRequests(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(member.requests.map((r) => (r.json as { title: string }).title).sort()).toEqual(['Once only', 'Second']);
    expect(outgoing.requests).toHaveLength(2);
  });

  test('when 20 fires share one Idempotency-Key on a webhook with cooldown 5, then one 200 and 19 cooldown_active with retry_after', async () => {
    const room = await createRoom(stack, 'Cooldown');
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    expect(webhook).toMatchObject({ cooldown: 5 });

    const replies = await Promise.all(Array.from({ length: 20 }, () => fire(webhook, {}, { 'idempotency-key': 'deploy-7' })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const cooling = replies.filter((r) => r.status === 429);
    expect(cooling).toHaveLength(19);
    for (const reply of cooling) {
      expect(reply.body).toMatchObject({ error: 'cooldown_active' });
      expect(reply.body.retry_after).toBeGreaterThanOrEqual(1);
      expect(reply.body.retry_after).toBeLessThanOrEqual(5);
    }
  });

  test('when a room and secret are called a 61st time within a minute, then 429 rate_limited with Retry-After', async () => {
    const room = await createRoom(stack, 'Busy');
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
    await windowWithRoom(30);
    for (let call = 1; call <= 60; call += 1) expect((await fire(webhook, {})).status).toBe(200);
    const over = await fire(webhook, {});
    expect(over).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe("a room's outgoing webhook", () => {
  test('when the receiver fails three times, then the retries come after 10, 30 and 60 s (a fiftieth of each here) and the fourth attempt delivers', async () => {
    const outgoing = await receiver((_request, index) => ({ status: index < 3 ? 500 : 200 }));
    const room = await createRoom(stack, 'Retries');
    await setOutgoing(stack, room, `${outgoing.url}/out`);
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    const arrivals: number[] = [];
    const started = Date.now();
    expect((await fire(webhook, {})).status).toBe(200);
    await waitFor(async () => {
      while (arrivals.length < outgoing.requests.length) arrivals.push(Date.now() - started);
      return outgoing.requests.length >= 4 ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 20 });
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    const schedule = [200, 600, 1200];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(schedule[i]!);
      expect(gap).toBeLessThan(schedule[i]! + 2_000);
    });
    const ids = new Set(outgoing.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
  });

  test('when the owner reads, rotates and tests it, then the secret is shown no-store, a rotation signs with the new one, and the test reaches the URL synchronously', async () => {
    const outgoing = await receiver();
    const room = await createRoom(stack, 'Config');
    const first = await setOutgoing(stack, room, `${outgoing.url}/out`);
    const read = await request<Record<string, unknown>>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { headers: room.auth });
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(read.body).toMatchObject({ url: `${outgoing.url}/out`, enabled: true, signing_secret: first.signing_secret, consecutive_failures: 0, disabled_at: null });

    const rotated = await request<{ signing_secret: string }>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { method: 'PUT', body: { regenerate_secret: true }, headers: room.auth });
    expect(rotated.body.signing_secret).not.toBe(first.signing_secret);

    const tested = await request<Record<string, unknown>>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook/test`, { method: 'POST', headers: room.auth });
    expect(tested).toMatchObject({ status: 200, body: { success: true, status_code: 200 } });
    expect(outgoing.requests).toHaveLength(1);
    const [event] = outgoing.requests;
    expect(event!.json).toMatchObject({ event: 'ping', trigger_source: 'test', room: { code: room.code } });
    expect(verify(asExpressRequest(event!), rotated.body.signing_secret)).toBe(true);
    expect(verify(asExpressRequest(event!), first.signing_secret)).toBe(false);

    const unsafe = await request(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { method: 'PUT', body: { url: 'ftp://example.test/x' }, headers: room.auth });
    expect(unsafe).toMatchObject({ status: 422, body: { error: 'unsafe_url' } });
  });

  test("when a room's outgoing webhook would fire a room, then the URL is refused and a fire carrying a room POST's webhook-id is refused too", async () => {
    const room = await createRoom(stack, 'Loop');
    const webhook = await createWebhook(stack, room, { name: 'CI', cooldown: 0 });
    const loop = await request(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { method: 'PUT', body: { url: webhook.webhook_url }, headers: room.auth });
    expect(loop).toMatchObject({ status: 422, body: { error: 'unsafe_url', reason: 'own_fire_url' } });
    const echoed = await fire(webhook, {}, { 'webhook-id': 'rwh_01JZ0000000000000000000000' });
    expect(echoed).toMatchObject({ status: 422, body: { error: 'validation_failed', fields: [{ path: 'webhook-id' }] } });
    expect((await fire(webhook, {}, { 'webhook-id': 'msg_from_elsewhere' })).status).toBe(200);
  });

  test('when a ping is raised by API for an agent, then every member gets an answerable message and the outgoing event says trigger_source agent', async () => {
    const outgoing = await receiver();
    const room = await createRoom(stack, 'Agents');
    await setOutgoing(stack, room, `${outgoing.url}/out`);
    const ping = await request<{ messages: { channel_id: string; message_id: string }[]; trigger_source: string }>(`${stack.url}/api/rooms/${room.code}/ping`, {
      body: { title: 'Need a human', message: 'Approve the refund?', trigger_source: 'agent', sender: 'Refund bot' },
      headers: room.auth,
    });
    expect(ping.status).toBe(200);
    expect(ping.body.messages).toEqual([{ channel_id: room.owner.channelId, message_id: expect.stringMatching(/^msg_/) }]);
    const [event] = await outgoing.waitForRequests(1);
    expect(event!.json).toMatchObject({ trigger_source: 'agent', sender: 'Refund bot', body: 'Refund bot: Approve the refund?', action_number: null });

    const messageId = ping.body.messages[0]!.message_id;
    const respondUrl = await waitFor(async () => {
      const read = await request<{ deliveries?: { respond_url: string }[] }>(`${stack.url}/api/messages/${messageId}`, { headers: room.auth });
      return read.body.deliveries?.[0]?.respond_url;
    });
    const answered = await request(respondUrl, { body: { triggered_by: 'ack' } });
    expect(answered.status).toBe(201);
    const poll = await request<{ status: string }>(`${stack.url}/v1/callback/${room.owner.token}/${messageId}`);
    expect(poll.body.status).toBe('submitted');
  });
});

describe('rooms belong to their account', () => {
  test("when another account's key names a room, then every room route answers 404", async () => {
    const room = await createRoom(stack, 'Private');
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    const stranger = await createRoom(stack, 'Stranger');
    const base = `${stack.url}/api/rooms/${room.code}`;
    const calls: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { name: 'mine now' }],
      ['PUT', base, { name: 'mine now' }],
      ['DELETE', base],
      ['GET', `${base}/members`],
      ['POST', `${base}/members`, { channel_id: stranger.owner.channelId }],
      ['DELETE', `${base}/members/${room.owner.channelId}`],
      ['POST', `${base}/ping`, {}],
      ['GET', `${base}/webhooks`],
      ['POST', `${base}/webhooks`, { name: 'intruder' }],
      ['GET', `${base}/webhooks/${webhook.id}`],
      ['PUT', `${base}/webhooks/${webhook.id}`, { enabled: false }],
      ['DELETE', `${base}/webhooks/${webhook.id}`],
      ['POST', `${base}/webhooks/${webhook.id}/test`],
      ['GET', `${base}/outgoing-webhook`],
      ['PUT', `${base}/outgoing-webhook`, { url: 'http://127.0.0.1:9/x' }],
      ['POST', `${base}/outgoing-webhook/test`],
    ];
    for (const [method, url, body] of calls) {
      const reply = await request(url, { method, headers: stranger.auth, ...(body === undefined ? {} : { body }) });
      expect({ method, url, status: reply.status, error: (reply.body as { error?: string }).error }).toEqual({ method, url, status: 404, error: 'not_found' });
    }
    // Nor can a room take in another account's channel.
    const foreignMember = await request(`${stack.url}/api/rooms/${stranger.code}/members`, { body: { channel_id: room.owner.channelId }, headers: stranger.auth });
    expect(foreignMember.status).toBe(404);
    const members = await request<{ data: unknown[]; next_cursor: string | null }>(`${stack.url}/api/rooms/${stranger.code}/members?limit=1`, { headers: stranger.auth });
    expect(members.body).toEqual({ data: [expect.objectContaining({ channel_id: stranger.owner.channelId })], next_cursor: null });
    expect((await request(`${stack.url}/api/rooms/${stranger.code}/members?limit=0`, { headers: stranger.auth })).status).toBe(422);
    const listed = await request<{ data: { invite_code: string }[] }>(`${stack.url}/api/rooms`, { headers: stranger.auth });
    expect(listed.body.data.map((r) => r.invite_code)).toEqual([stranger.code]);
    expect((await request(`${base}`, { headers: room.auth })).status).toBe(200);
  });

  test("when another account's key names a room's outgoing POST, then the log, the read and the resend answer as if it did not exist", async () => {
    const outgoing = await receiver(() => ({ status: 410 }));
    const room = await createRoom(stack, 'Logged');
    await setOutgoing(stack, room, `${outgoing.url}/out`);
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    await fire(webhook, {});
    type Post = { id: string; status: string; endpoint: unknown; attempts: { status_code: number | null }[] };
    const post = await waitFor(async () => {
      const log = await request<{ data: Post[] }>(`${stack.url}/api/deliveries?endpoint=${room.id}`, { headers: room.auth });
      return log.body.data.find((p) => p.status === 'failed');
    });
    expect(post).toMatchObject({ id: expect.stringMatching(/^rwh_/), endpoint: { kind: 'room_webhook', id: room.id }, attempts: [{ status_code: 410 }] });
    const config = await request<Record<string, unknown>>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { headers: room.auth });
    expect(config.body).toMatchObject({ enabled: false, disabled_reason: 'gone', disabled_at: expect.any(String) });

    const stranger = await createRoom(stack, 'Stranger');
    expect((await request(`${stack.url}/api/deliveries/${post.id}`, { headers: stranger.auth })).status).toBe(404);
    expect((await request(`${stack.url}/api/deliveries/${post.id}/resend`, { method: 'POST', headers: stranger.auth })).status).toBe(404);
    expect((await request(`${stack.url}/api/deliveries?endpoint=${room.id}`, { headers: stranger.auth })).body).toMatchObject({ data: [] });
    // The owner may not re-send to an endpoint switched off, until it is switched on again.
    expect(await request(`${stack.url}/api/deliveries/${post.id}/resend`, { method: 'POST', headers: room.auth })).toMatchObject({ status: 409, body: { error: 'endpoint_disabled' } });
    const on = await request<Record<string, unknown>>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { method: 'PUT', body: { enabled: true }, headers: room.auth });
    expect(on.body).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_at: null });
  });

  test('when a room is deleted, then its fire URLs answer room_not_found', async () => {
    const room = await createRoom(stack, 'Short lived');
    const webhook = await createWebhook(stack, room, { name: 'CI' });
    expect((await request(`${stack.url}/api/rooms/${room.code}`, { method: 'DELETE', headers: room.auth })).status).toBe(204);
    expect(await fire(webhook, {})).toMatchObject({ status: 404, body: { error: 'room_not_found' } });
  });
});
