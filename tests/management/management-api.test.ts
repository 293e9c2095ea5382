import http from 'node:http';
import { waitFor } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { expectError } from '../support/errors';
import { startStack, type Stack } from '../support/stack';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const FAILURES_PER_MINUTE = 5;

/** A GET from a loopback address of our choosing (fetch cannot bind one), for the per-address throttle. */
function getFrom(localAddress: string, url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
  });
}

/** The throttle counts in one-minute windows: start a burst well inside one, so a window edge cannot split it. */
async function awayFromMinuteEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

interface MessageList {
  data: { id: string; channel_id: string; title: string; status: string }[];
  next_cursor: string | null;
}

describe('the management API: keys, deletes, message lists, methods and throttling', () => {
  let stack: Stack;
  let account: ChannelCredentials;

  beforeAll(async () => {
    stack = await startStack({ PINGBACK_AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE) });
    account = await createChannel(stack);
  });
  afterAll(() => stack?.stop());

  const api = <T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown; apiKey?: string } = {}) =>
    request<T>(`${stack.url}${path}`, { ...(init.method ? { method: init.method } : {}), ...(init.body !== undefined ? { body: init.body } : {}), headers: bearer(init.apiKey ?? account.apiKey) });

  describe('API keys', () => {
    test('when a second key is made, then the list shows both by hint, marks the caller, and never shows a key', async () => {
      const created = await api<{ id: string; api_key: string; hint: string }>('/api/keys', { body: { name: 'ci' } });
      expect(created.status).toBe(201);
      expect(created.body.hint).toBe(`pbk_…${created.body.api_key.slice(-4)}`);
      const list = await api<{ data: Record<string, unknown>[]; next_cursor: string | null }>('/api/keys', { apiKey: created.body.api_key });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(2);
      expect(list.body.data).toContainEqual(expect.objectContaining({ id: created.body.id, name: 'ci', hint: created.body.hint, current: true }));
      expect(list.body.data.filter((k) => k.current)).toHaveLength(1);
      expect(JSON.stringify(list.body)).not.toContain(created.body.api_key);
      expect(JSON.stringify(list.body)).not.toContain(account.apiKey);
    });

    test('when a key is revoked, then it stops working at once and the last key cannot be revoked', async () => {
      const other = await createChannel(stack);
      const second = await api<{ id: string; api_key: string }>('/api/keys', { body: {}, apiKey: other.apiKey });
      const keys = await api<{ data: { id: string }[] }>('/api/keys', { apiKey: other.apiKey });
      const firstId = keys.body.data.find((k) => k.id !== second.body.id)!.id;

      expect((await api(`/api/keys/${firstId}`, { method: 'DELETE', apiKey: second.body.api_key })).status).toBe(204);
      expectError(await api('/api/channels', { apiKey: other.apiKey }), 401, 'unauthorized');
      expectError(await api(`/api/keys/${second.body.id}`, { method: 'DELETE', apiKey: second.body.api_key }), 409, 'last_api_key');
      expect((await api('/api/channels', { apiKey: second.body.api_key })).status).toBe(200);
      expectError(await api(`/api/keys/${firstId}`, { method: 'DELETE', apiKey: second.body.api_key }), 404, 'not_found');
    });

    test("when another account's key is revoked, then 404 and it keeps working", async () => {
      const other = await createChannel(stack);
      const keys = await api<{ data: { id: string }[] }>('/api/keys', { apiKey: other.apiKey });
      await api('/api/keys', { body: {}, apiKey: other.apiKey });
      expectError(await api(`/api/keys/${keys.body.data[0]!.id}`, { method: 'DELETE' }), 404, 'not_found');
      expect((await api('/api/keys', { apiKey: other.apiKey })).status).toBe(200);
    });
  });

  describe('deleting channels and destinations', () => {
    test('when a channel is deleted, then its token and inbox stop at once, its open messages close, and they stay listed', async () => {
      const doomed = await api<{ id: string; token: string; inbox_url: string }>('/api/channels', { body: { name: 'doomed' } });
      const messageId = await send(stack, doomed.body.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
      const [link] = await respondUrls(stack, account.apiKey, messageId);

      expect((await api(`/api/channels/${doomed.body.id}`, { method: 'DELETE' })).status).toBe(204);

      expectError(await request(`${stack.url}/v1/send/${doomed.body.token}`, { body: { title: 'again' } }), 401, 'unauthorized');
      expectError(await request(`${stack.url}/v1/callback/${doomed.body.token}/${messageId}`), 401, 'unauthorized');
      const inbox = await request(doomed.body.inbox_url);
      expect(inbox.status).toBe(404);
      expect(String(inbox.body)).toContain('This link is not valid.');
      expectError(await request(link!, { body: { triggered_by: 'deploy' } }), 410, 'link_expired');
      const page = await request(link!);
      expect(page.status).toBe(410);
      expect(String(page.body)).toContain('This request has expired and can no longer be answered.');
      expectError(await api(`/api/channels/${doomed.body.id}`), 404, 'not_found');
      expectError(await api(`/api/channels/${doomed.body.id}`, { method: 'DELETE' }), 404, 'not_found');
      const listed = await api<MessageList>('/api/messages');
      expect(listed.body.data.find((m) => m.id === messageId)).toMatchObject({ status: 'expired' });
    });

    test("when another account's channel is deleted, then 404 and its token still sends", async () => {
      const other = await createChannel(stack);
      expectError(await api(`/api/channels/${other.channelId}`, { method: 'DELETE' }), 404, 'not_found');
      await send(stack, other.token, { title: 'still here' });
    });

    test('when a destination is deleted, then the channel no longer lists it and later sends skip it', async () => {
      const channel = await api<{ id: string; token: string; destinations: { id: string }[] }>('/api/channels', {
        body: { name: 'two', destinations: [{ type: 'webhook', url: 'http://127.0.0.1:9/a' }, { type: 'webhook', url: 'http://127.0.0.1:9/b' }] },
      });
      const [gone, kept] = channel.body.destinations;
      expect((await api(`/api/channels/${channel.body.id}/destinations/${gone!.id}`, { method: 'DELETE' })).status).toBe(204);
      const read = await api<{ destinations: { id: string }[] }>(`/api/channels/${channel.body.id}`);
      expect(read.body.destinations.map((d) => d.id)).toEqual([kept!.id]);
      const messageId = await send(stack, channel.body.token, { title: 'after' });
      const deliveries = await waitFor(async () => {
        const view = await api<{ deliveries?: { type: string; destination_id: string | null }[] }>(`/api/messages/${messageId}`);
        return view.status === 200 && view.body.deliveries;
      });
      expect(deliveries.map((d) => d.destination_id)).toEqual(expect.arrayContaining([null, kept!.id]));
      expect(deliveries.map((d) => d.destination_id)).not.toContain(gone!.id);
      expectError(await api(`/api/channels/${channel.body.id}/destinations/${gone!.id}`, { method: 'DELETE' }), 404, 'not_found');
    });
  });

  describe('listing messages', () => {
    test('when messages were sent on two channels, then the list pages newest first and filters by channel', async () => {
      const owner = await createChannel(stack);
      const second = await api<{ id: string; token: string }>('/api/channels', { body: { name: 'second' }, apiKey: owner.apiKey });
      const ids = [];
      for (const title of ['one', 'two', 'three']) ids.push(await send(stack, owner.token, { title }));
      const elsewhere = await send(stack, second.body.token, { title: 'four' });
      const all = await waitFor(async () => {
        const list = await api<MessageList>('/api/messages?limit=10', { apiKey: owner.apiKey });
        return list.body.data.length === 4 && list.body;
      });
      expect(all.data.map((m) => m.id)).toEqual([elsewhere, ...ids].sort().reverse());
      expect(all.data[0]).toMatchObject({ status: 'pending', channel_id: second.body.id, title: 'four' });
      expect(all.next_cursor).toBeNull();

      const first = await api<MessageList>(`/api/messages?limit=2&channel_id=${owner.channelId}`, { apiKey: owner.apiKey });
      expect(first.body.data.map((m) => m.title)).toEqual(['three', 'two']);
      const next = await api<MessageList>(`/api/messages?limit=2&channel_id=${owner.channelId}&cursor=${first.body.next_cursor}`, { apiKey: owner.apiKey });
      expect(next.body.data.map((m) => m.title)).toEqual(['one']);
      expect(next.body.next_cursor).toBeNull();

      expect((await api<MessageList>('/api/messages')).body.data.map((m) => m.id)).not.toContain(elsewhere);
      expectError(await api(`/api/messages?channel_id=${second.body.id}`), 404, 'not_found');
      expectError(await api('/api/messages?limit=1000'), 400, 'validation_failed');
    });
  });

  describe('methods', () => {
    test('when the send route is asked with GET, then 405 method_not_allowed with Allow: POST', async () => {
      const response = await request(`${stack.url}/v1/send/${account.token}`);
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe('POST');
    });

    test('when a channel is POSTed to, then 405 lists the methods it has', async () => {
      const response = await api(`/api/channels/${account.channelId}`, { method: 'POST', body: {} });
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe('DELETE, GET, HEAD');
    });

    test('when an unknown /api path is asked without credentials, then 404', async () => {
      expectError(await request(`${stack.url}/api/nothing`), 404, 'not_found');
    });
  });

  describe('failed credentials', () => {
    test('when one address sends wrong channel tokens past the limit, then 429 with Retry-After, while the right token still sends', async () => {
      await awayFromMinuteEdge();
      const replies = [];
      for (let i = 0; i < FAILURES_PER_MINUTE + 3; i++) replies.push(await getFrom('127.0.0.7', `${stack.url}/v1/callback/pbt_wrong_${i}/msg_x`));
      expect(replies.map((r) => r.status)).toEqual([...Array(FAILURES_PER_MINUTE).fill(401), 429, 429, 429]);
      expect(JSON.parse(replies.at(-1)!.text)).toMatchObject({ error: 'rate_limited' });
      expect(Number(replies.at(-1)!.headers['retry-after'])).toBeGreaterThan(0);
      await send(stack, account.token, { title: 'the owner still sends' });
    });

    test('when one address opens bad respond links past the limit, then a 429 page with Retry-After', async () => {
      await awayFromMinuteEdge();
      const replies = [];
      for (let i = 0; i < FAILURES_PER_MINUTE + 1; i++) replies.push(await getFrom('127.0.0.8', `${stack.url}/r/dlv_made_up_${i}.AAAA`));
      expect(replies.map((r) => r.status)).toEqual([...Array(FAILURES_PER_MINUTE).fill(404), 429]);
      expect(replies.at(-1)!.headers['content-type']).toMatch(/^text\/html/);
      expect(replies.at(-1)!.text).toContain('Too many invalid links');
      expect(Number(replies.at(-1)!.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
