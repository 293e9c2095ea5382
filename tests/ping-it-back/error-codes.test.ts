import { waitFor } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { watchConnections } from '../support/connection-watcher';
import { expectError, expectValidationFailed } from '../support/errors';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

/** A message with every kind of action: a select, a text input and a button that submits them. */
const FORM_ACTIONS = [
  { type: 'select', label: 'Environment', key: 'env', options: [{ label: 'Staging', value: 'staging' }, { label: 'Production', value: 'production' }] },
  { type: 'text', label: 'Note', key: 'note' },
  { type: 'button', label: 'Deploy', key: 'deploy', style: 'primary' },
];

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const button = (key: string, extra: Record<string, unknown> = {}) => ({ type: 'button', label: key, key, ...extra });

/** A respond token is `{delivery_id}.{signature}`: the same link with one signature character changed. */
function tamperedLink(link: string): string {
  const dot = link.lastIndexOf('.');
  const first = link[dot + 1];
  return `${link.slice(0, dot + 1)}${first === 'A' ? 'B' : 'A'}${link.slice(dot + 2)}`;
}

describe('error codes of the ping-it-back routes, with the default settings', () => {
  let stack: Stack;
  let channel: ChannelCredentials;
  let destination: Receiver;

  beforeAll(async () => {
    destination = await startReceiver();
    stack = await startStack({ PINGBACK_MIN_EXPIRES_IN_SECONDS: '1' });
    channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
  });
  afterAll(async () => {
    await stack?.stop();
    await destination?.close();
  });

  const sendUrl = () => `${stack.url}/v1/send/${channel.token}`;
  const sendRaw = (body: unknown) => request(sendUrl(), { body });
  const firstLink = async (id: string) => (await respondUrls(stack, channel.apiKey, id))[0]!;
  const messageView = (id: string, apiKey = channel.apiKey) =>
    request<{ priority?: string; answer?: unknown }>(`${stack.url}/api/messages/${id}`, { headers: bearer(apiKey) });

  describe('invalid_json', () => {
    test('when a send body is not valid JSON, then 400 invalid_json', async () => {
      const response = await request(sendUrl(), { rawBody: '{"title": "Deploy?", ', headers: { 'content-type': 'application/json' } });
      expectError(response, 400, 'invalid_json');
    });

    test('when an answer body is not valid JSON, then 400 invalid_json and the link still takes a valid answer', async () => {
      const link = await firstLink(await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS }));
      const response = await request(link, { rawBody: '{"triggered_by": ', headers: { 'content-type': 'application/json' } });
      expectError(response, 400, 'invalid_json');
      expect((await answer(link, { triggered_by: 'deploy' })).status).toBe(201);
    });
  });

  describe('validation_failed on a send', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['no title', { body: 'no title here' }, 'title'],
      ['a title longer than 200 characters', { title: 'x'.repeat(201) }, 'title'],
      ['more than 10 actions', { title: 'Pick', actions: Array.from({ length: 11 }, (_, i) => button(`b${i}`)) }, 'actions'],
      ['two actions with the same key', { title: 'Pick', actions: [button('go'), button('go')] }, 'actions.1.key'],
      ['an action key outside [A-Za-z0-9_-]', { title: 'Pick', actions: [button('go now!')] }, 'actions.0.key'],
      ['a select with no options', { title: 'Pick', actions: [{ type: 'select', label: 'Env', key: 'env', options: [] }, button('go')] }, 'actions.0.options'],
      ['a select without an options field', { title: 'Pick', actions: [{ type: 'select', label: 'Env', key: 'env' }, button('go')] }, 'actions.0.options'],
      ['inputs but no button to submit them', { title: 'Pick', actions: [{ type: 'text', label: 'Note', key: 'note' }] }, 'actions'],
      ['an unknown priority', { title: 'Pick', priority: 'urgent' }, 'priority'],
      ['an unknown button style', { title: 'Pick', actions: [button('go', { style: 'danger' })] }, 'actions.0.style'],
      ['data larger than 16 KiB', { title: 'Pick', data: { blob: 'x'.repeat(16 * 1024 + 1) } }, 'data'],
      ['a callback_url that is not a URL at all', { title: 'Pick', callback_url: 'not a url' }, 'callback_url'],
    ];

    test.each(cases)('when the send has %s, then 400 validation_failed names the field', async (_name, body, path) => {
      expectValidationFailed(await sendRaw(body), path);
    });
  });

  describe('validation_failed on an answer', () => {
    let link: string;
    let id: string;

    beforeAll(async () => {
      id = await send(stack, channel.token, { title: 'Release 1.2?', actions: FORM_ACTIONS });
      link = await firstLink(id);
    });

    const cases: [string, Record<string, unknown>, string][] = [
      ['triggered_by names an input, not a button', { triggered_by: 'note' }, 'triggered_by'],
      ['triggered_by names no action at all', { triggered_by: 'launch' }, 'triggered_by'],
      ['responses has a key the message does not have', { triggered_by: 'deploy', responses: { colour: 'blue' } }, 'responses.colour'],
      ['a select value that is not one of its options', { triggered_by: 'deploy', responses: { env: 'moon' } }, 'responses.env'],
      ['a text answer longer than 2,000 characters', { triggered_by: 'deploy', responses: { note: 'x'.repeat(2001) } }, 'responses.note'],
    ];

    test.each(cases)('when %s, then 400 validation_failed names the field', async (_name, body, path) => {
      expectValidationFailed(await answer(link, body), path);
    });

    test('when only refused answers came, then the message is still open and takes a valid answer', async () => {
      const accepted = await answer(link, { triggered_by: 'deploy', responses: { env: 'production', note: 'x'.repeat(2000) } });
      expect(accepted.status).toBe(201);
      expect((await poll(stack, channel.token, id)).body).toMatchObject({
        status: 'submitted',
        result: { triggered_by: 'deploy', responses: { env: 'production', note: 'x'.repeat(2000) } },
      });
    });
  });

  describe('unauthorized', () => {
    const expectUnauthorized = (response: Awaited<ReturnType<typeof request>>) => {
      expectError(response, 401, 'unauthorized');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    };

    test('when a send uses an unknown channel token, then 401 with WWW-Authenticate', async () => {
      expectUnauthorized(await request(`${stack.url}/v1/send/pbt_unknown0token`, { body: { title: 'Deploy?' } }));
    });

    test('when a poll uses an unknown channel token, then 401 with WWW-Authenticate', async () => {
      const id = await send(stack, channel.token, { title: 'Deploy?' });
      expectUnauthorized(await poll(stack, 'pbt_unknown0token', id));
    });

    test('when /api/channels has no API key, then 401 with WWW-Authenticate', async () => {
      expectUnauthorized(await request(`${stack.url}/api/channels`));
      expectUnauthorized(await request(`${stack.url}/api/channels`, { body: { name: 'sneaky' } }));
    });

    test('when /api/channels has a wrong API key, then 401 with WWW-Authenticate', async () => {
      expectUnauthorized(await request(`${stack.url}/api/channels`, { headers: bearer('pbk_not0a0real0key') }));
      expectUnauthorized(await request(`${stack.url}/api/channels`, { headers: bearer(channel.token) }));
    });

    test('when /admin/accounts has a wrong or no admin key, then 401 with WWW-Authenticate', async () => {
      expectUnauthorized(await request(`${stack.url}/admin/accounts`, { body: { name: 'Mallory' }, headers: bearer(`${stack.adminKey}x`) }));
      expectUnauthorized(await request(`${stack.url}/admin/accounts`, { body: { name: 'Mallory' }, headers: bearer(channel.apiKey) }));
      expectUnauthorized(await request(`${stack.url}/admin/accounts`, { body: { name: 'Mallory' } }));
    });
  });

  describe('not_found', () => {
    test('when a made-up message id is polled or looked up, then 404 not_found', async () => {
      const id = await send(stack, channel.token, { title: 'Deploy?' });
      const madeUp = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
      expectError(await poll(stack, channel.token, madeUp), 404, 'not_found');
      expectError(await poll(stack, channel.token, 'msg_doesnotexist'), 404, 'not_found');
      expectError(await messageView('msg_doesnotexist'), 404, 'not_found');
    });

    test("when an account reads another account's channel, then 404 not_found", async () => {
      const other = await createChannel(stack);
      expectError(await request(`${stack.url}/api/channels/${channel.channelId}`, { headers: bearer(other.apiKey) }), 404, 'not_found');
      expectError(await request(`${stack.url}/api/channels/${channel.channelId}/rotate-token`, { method: 'POST', headers: bearer(other.apiKey) }), 404, 'not_found');
      expectError(await request(`${stack.url}/api/channels/ch_doesnotexist`, { headers: bearer(other.apiKey) }), 404, 'not_found');
    });

    test("when an account reads another account's message, then 404 not_found", async () => {
      const id = await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
      await respondUrls(stack, channel.apiKey, id); // recorded: the owner sees it
      const other = await createChannel(stack);
      expectError(await messageView(id, other.apiKey), 404, 'not_found');
    });

    test('when a respond token is made up or tampered with, then 404 not_found', async () => {
      const link = await firstLink(await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS }));
      expectError(await answer(`${stack.url}/r/dlv_madeup.c2lnbmF0dXJl`, { triggered_by: 'deploy' }), 404, 'not_found');
      expectError(await answer(`${stack.url}/r/not-a-token`, { triggered_by: 'deploy' }), 404, 'not_found');
      expectError(await answer(tamperedLink(link), { triggered_by: 'deploy' }), 404, 'not_found');
      expect((await answer(link, { triggered_by: 'deploy' })).status).toBe(201);
    });
  });

  test('when a message is answered a second time, then 409 already_responded', async () => {
    const link = await firstLink(await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS }));
    expect((await answer(link, { triggered_by: 'deploy' })).status).toBe(201);
    expectError(await answer(link, { triggered_by: 'cancel' }), 409, 'already_responded');
  });

  test('when the answer window has closed, then the link answers 410 link_expired', async () => {
    const id = await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS, expires_in: 1 });
    const link = await firstLink(id);
    await waitFor(async () => (await poll(stack, channel.token, id)).body.status === 'expired', { timeoutMs: 10_000, intervalMs: 100 });
    expectError(await answer(link, { triggered_by: 'deploy' }), 410, 'link_expired');
  });

  test('when a send body is larger than 64 KiB, then 413 payload_too_large', async () => {
    const response = await sendRaw({ title: 'Big', padding: 'x'.repeat(64 * 1024) });
    expectError(response, 413, 'payload_too_large');
  });

  test('when a body is sent as text/plain, then 415 unsupported_media_type', async () => {
    const asText = { 'content-type': 'text/plain' };
    expectError(await request(sendUrl(), { rawBody: '{"title":"Deploy?"}', headers: asText }), 415, 'unsupported_media_type');
    const link = await firstLink(await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS }));
    expectError(await request(link, { rawBody: '{"triggered_by":"deploy"}', headers: asText }), 415, 'unsupported_media_type');
  });

  describe('unsafe_url', () => {
    test('when a webhook destination is ftp:// or carries credentials, then 422 unsafe_url with the reason', async () => {
      const create = (url: string) =>
        request(`${stack.url}/api/channels`, { body: { name: 'Unsafe', destinations: [{ type: 'webhook', url }] }, headers: bearer(channel.apiKey) });
      expectError(await create('ftp://127.0.0.1/hook'), 422, 'unsafe_url', { reason: 'scheme_not_allowed' });
      expectError(await create(`http://user:secret@127.0.0.1:${new URL(destination.url).port}/hook`), 422, 'unsafe_url', { reason: 'credentials_in_url' });
      const add = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, {
        body: { type: 'webhook', url: 'ftp://127.0.0.1/hook' },
        headers: bearer(channel.apiKey),
      });
      expectError(add, 422, 'unsafe_url', { reason: 'scheme_not_allowed' });
    });

    test('when a send has a callback_url with a scheme other than http(s), then 422 unsafe_url with the reason', async () => {
      expectError(await sendRaw({ title: 'Deploy?', callback_url: 'ftp://127.0.0.1/callback' }), 422, 'unsafe_url', {
        reason: 'scheme_not_allowed',
        field: 'callback_url',
      });
      expectError(await sendRaw({ title: 'Deploy?', callback_url: 'javascript:alert(1)' }), 422, 'unsafe_url', { reason: 'scheme_not_allowed' });
      expectError(await sendRaw({ title: 'Deploy?', events_url: 'file:///etc/passwd' }), 422, 'unsafe_url', { reason: 'scheme_not_allowed', field: 'events_url' });
    });
  });

  describe('what a valid request leaves out or adds', () => {
    test('when a send carries fields Pingback does not know, then they are ignored and the send answers 200', async () => {
      const response = await sendRaw({ title: 'Deploy?', actions: DEPLOY_ACTIONS, colour: 'red', nested: { anything: [1, 2] } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ok: true, id: expect.stringMatching(/^msg_/) });
      expect((await poll(stack, channel.token, response.body.id as string)).body).toEqual({ status: 'pending' });
    });

    test('when a send has no priority, then the message is sent with priority normal', async () => {
      const id = await send(stack, channel.token, { title: 'Which priority?' });
      const delivered = await waitFor(
        () => destination.requests.map((r) => r.json as { message_id?: string; priority?: string }).find((b) => b.message_id === id),
        { timeoutMs: 15_000, description: 'the webhook notification' },
      );
      expect(delivered.priority).toBe('normal');
      const view = await waitFor(async () => {
        const response = await messageView(id);
        return response.body.priority !== undefined && response.body;
      });
      expect(view.priority).toBe('normal');
    });

    test('when an answer has no responses, then they default to {}', async () => {
      const id = await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
      const accepted = await answer(await firstLink(id), { triggered_by: 'deploy' });
      expect(accepted.status).toBe(201);
      expect(accepted.body).toMatchObject({ answer: { triggered_by: 'deploy', responses: {} } });
      expect((await poll(stack, channel.token, id)).body).toMatchObject({ status: 'submitted', result: { responses: {} } });
    });
  });

  describe('channel credentials', () => {
    test('when the token is rotated, then the old token gets 401 and the new one polls the old message', async () => {
      const mine = await createChannel(stack);
      const id = await send(stack, mine.token, { title: 'Before the rotation' });
      const rotated = await request<{ token: string }>(`${stack.url}/api/channels/${mine.channelId}/rotate-token`, {
        method: 'POST',
        headers: bearer(mine.apiKey),
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.token).toMatch(/^pbt_/);
      expect(rotated.body.token).not.toBe(mine.token);

      const oldPoll = await poll(stack, mine.token, id);
      expectError(oldPoll, 401, 'unauthorized');
      expect(oldPoll.headers.get('www-authenticate')).toBeTruthy();
      expectError(await request(`${stack.url}/v1/send/${mine.token}`, { body: { title: 'Old token' } }), 401, 'unauthorized');

      const newPoll = await poll(stack, rotated.body.token, id);
      expect(newPoll.status).toBe(200);
      expect(newPoll.body).toEqual({ status: 'pending' });
    });

    test('when the token is rotated, then the old inbox URL stops working and the new one lists the open messages', async () => {
      const mine = await createChannel(stack);
      await send(stack, mine.token, { title: 'Still open' });
      const rotated = await request<{ inbox_url: string }>(`${stack.url}/api/channels/${mine.channelId}/rotate-token`, {
        method: 'POST',
        headers: bearer(mine.apiKey),
      });
      expect(rotated.body.inbox_url).not.toBe(mine.inboxUrl);

      const old = await request<string>(mine.inboxUrl);
      expect(old.status).toBe(404);
      expect(old.body).toContain('This link is not valid.');
      await waitFor(async () => (await request<string>(rotated.body.inbox_url)).body.includes('Still open'));
    });

    test('when the owner reads a channel, then it shows the signing secret with Cache-Control: no-store', async () => {
      const response = await request<{ id: string; signing_secret: string; token?: string }>(`${stack.url}/api/channels/${channel.channelId}`, {
        headers: bearer(channel.apiKey),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: channel.channelId, signing_secret: channel.signingSecret });
      expect(response.body.signing_secret).toMatch(/^whsec_/);
      expect(response.body.token).toBeUndefined();
      expect(response.headers.get('cache-control')).toBe('no-store');
    });
  });
});

describe('error codes that need strict settings: no private targets, 3 sends and 3 polls a minute', () => {
  let stack: Stack;
  let watcher: Awaited<ReturnType<typeof watchConnections>>;

  beforeAll(async () => {
    watcher = await watchConnections();
    stack = await startStack({
      PINGBACK_ALLOW_PRIVATE_TARGETS: 'false',
      PINGBACK_SEND_RATE_PER_MINUTE: '3',
      PINGBACK_POLL_RATE_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await watcher?.close();
  });

  test('when a destination is a private http address, then 422 unsafe_url and nothing is contacted', async () => {
    const channel = await createChannel(stack);
    const create = (url: string) =>
      request(`${stack.url}/api/channels`, { body: { name: 'Private', destinations: [{ type: 'webhook', url }] }, headers: bearer(channel.apiKey) });
    expectError(await create('http://127.0.0.1:1/x'), 422, 'unsafe_url', { reason: 'https_required' });
    expectError(await create(`http://127.0.0.1:${watcher.port}/x`), 422, 'unsafe_url', { reason: 'https_required' });
    expectError(await create('https://10.0.0.1/x'), 422, 'unsafe_url', { reason: 'private_address' });
    expectError(await create('https://127.0.0.1/x'), 422, 'unsafe_url', { reason: 'private_address' });
    expect(watcher.connections()).toBe(0);
  });

  test('when a callback_url is a private address, then the send answers 422 unsafe_url and nothing is contacted', async () => {
    const channel = await createChannel(stack);
    const response = await request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'Deploy?', callback_url: 'https://10.0.0.1/x' } });
    expectError(response, 422, 'unsafe_url', { reason: 'private_address' });
    const watched = await request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'Deploy?', callback_url: `http://127.0.0.1:${watcher.port}/cb` } });
    expectError(watched, 422, 'unsafe_url', { reason: 'https_required' });
    expect(watcher.connections()).toBe(0);
  });

  // A fixed one-minute window: up to 7 tries reach the limit even when a minute boundary falls between them.
  const untilRateLimited = async (attempt: () => ReturnType<typeof request>) => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await attempt();
      statuses.push(response.status);
      if (response.status === 429) return { response, statuses };
    }
    throw new Error(`never rate limited: ${statuses.join(', ')}`);
  };

  test('when a channel sends more than 3 times a minute, then 429 rate_limited with Retry-After', async () => {
    const channel = await createChannel(stack);
    const { response, statuses } = await untilRateLimited(() => request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'Again' } }));
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expectError(response, 429, 'rate_limited');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  test('when a channel polls more than 3 times a minute, then 429 rate_limited with Retry-After', async () => {
    const channel = await createChannel(stack);
    const id = await send(stack, channel.token, { title: 'Polled a lot' });
    const { response, statuses } = await untilRateLimited(() => poll(stack, channel.token, id));
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expectError(response, 429, 'rate_limited');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});
