import http from 'node:http';
import { createChannel, request } from '../support/api';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { createApproval } from './approval-support';

let stack: Stack;
let owner: { apiKey: string; channelId: string };
let stranger: { apiKey: string; channelId: string };

beforeAll(async () => {
  stack = await startStack({}, APPROVAL_SERVICES);
  owner = await createChannel(stack);
  stranger = await createChannel(stack);
}, 120_000);
afterAll(() => stack?.stop());

const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });
const reviewers = (apiKey: string, body?: unknown, method?: string, id = '') =>
  request<Record<string, unknown>>(`${stack.url}/api/reviewers${id ? `/${id}` : ''}`, { headers: bearer(apiKey), ...(body !== undefined ? { body } : {}), ...(method ? { method } : {}) });

describe('who may see and decide an approval', () => {
  test("when another account's key reads, waits on or decides an approval, then every route answers 403 forbidden and nothing changes", async () => {
    const { approval_id: id } = (await createApproval(stack, owner.apiKey, { context: 'Owner only' })).body;
    const attempts = [
      request(`${stack.url}/api/approvals/${id}?key=${stranger.apiKey}`),
      request(`${stack.url}/api/approvals/${id}?wait=2&key=${stranger.apiKey}`),
      request(`${stack.url}/api/approvals/${id}`, { headers: bearer(stranger.apiKey) }),
      request(`${stack.url}/api/approvals/${id}`, { headers: { cookie: `access_token=${stranger.apiKey}` } }),
      request(`${stack.url}/api/approvals/${id}/decide?key=${stranger.apiKey}`, { body: { decision: 'approve' } }),
      request(`${stack.url}/api/approvals/${id}/decide`, { body: { key: stranger.apiKey, decision: 'deny' } }),
    ];
    for (const answer of await Promise.all(attempts)) expect([answer.status, answer.body]).toEqual([403, expect.objectContaining({ error: 'forbidden' })]);
    const list = await request<{ data: { approval_id: string }[] }>(`${stack.url}/api/approvals?key=${stranger.apiKey}`);
    expect(list.body.data.map((a) => a.approval_id)).not.toContain(id);
    expect((await request(`${stack.url}/api/approvals/${id}?key=${owner.apiKey}`)).body).toMatchObject({ status: 'pending' });
  });

  test('when HEAD asks for an approval or a reviewer, then it answers the status GET would, without a body', async () => {
    const { approval_id: id } = (await createApproval(stack, owner.apiKey, { context: 'Head requests' })).body;
    const head = (url: string, headers: Record<string, string> = {}) => fetch(url, { method: 'HEAD', headers }).then((r) => r.status);
    expect(await head(`${stack.url}/api/approvals/${id}?key=${owner.apiKey}`)).toBe(200);
    expect(await head(`${stack.url}/api/approvals/${id}?key=${stranger.apiKey}`)).toBe(403);
    expect(await head(`${stack.url}/api/approvals/apr_01JZZZZZZZZZZZZZZZZZZZZZZZ?key=${owner.apiKey}`)).toBe(404);
    expect(await head(`${stack.url}/api/approvals/${id}?key=${owner.apiKey}&wait=abc`)).toBe(400);
    expect(await head(`${stack.url}/api/reviewers/rvw_unknown`, bearer(owner.apiKey))).toBe(404);
  });

  test('when a path segment is an encoded dot segment, then it is 404 at the gateway and never reaches another internal path', async () => {
    // Sent as written: fetch would resolve the dot segments itself before they left.
    const rawGet = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(stack.url);
        http
          .get({ hostname, port, path, headers: bearer(owner.apiKey) }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    for (const path of ['/api/approvals/%2e%2e', '/api/approvals/%2E', '/api/reviewers/%2E%2e']) {
      const answer = await rawGet(path);
      expect(answer.status).toBe(404);
      // The gateway's own answer: approval-service's would be "route not found".
      expect(JSON.parse(answer.body)).toEqual({ error: 'not_found', message: 'path not found' });
    }
  });

  test('when the key is missing or wrong, then 401; when the approval does not exist, then 404', async () => {
    expect((await request(`${stack.url}/api/approvals`, { body: { context: 'No key' } })).status).toBe(401);
    const wrong = await request(`${stack.url}/api/approvals?key=pbk_not_a_real_key`, { body: { context: 'Wrong key' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBeTruthy();
    expect((await request(`${stack.url}/api/approvals/apr_01JZZZZZZZZZZZZZZZZZZZZZZZ?key=${owner.apiKey}`)).status).toBe(404);
  });

  test('when the key comes in the JSON body, then the create works and the key is not kept as part of the request', async () => {
    const created = await request<{ approval_id: string }>(`${stack.url}/api/approvals`, { body: { key: owner.apiKey, context: 'Key in the body', metadata: { ticket: 42 } } });
    expect(created.status).toBe(201);
    const read = await request(`${stack.url}/api/approvals/${created.body.approval_id}?key=${owner.apiKey}`);
    expect(read.body).toMatchObject({ context: 'Key in the body', metadata: { ticket: 42 } });
    expect(JSON.stringify(read.body)).not.toContain(owner.apiKey);
  });

  test('when the escalation reviewer is also a default reviewer asked at once, then the create is 400 naming escalation_reviewer', async () => {
    const boss = await reviewers(owner.apiKey, { name: 'Boss', channels: [owner.channelId], default: true });
    const created = await createApproval(stack, owner.apiKey, { context: 'Escalate to a default reviewer', escalation_reviewer: boss.body.id });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: 'validation_failed', fields: [expect.objectContaining({ path: 'escalation_reviewer' })] });
    await reviewers(owner.apiKey, undefined, 'DELETE', boss.body.id as string);
  });

  test("when an approval names another account's reviewer or an unknown one, then 400 validation_failed naming the field", async () => {
    const theirs = await reviewers(stranger.apiKey, { name: 'Their reviewer', channels: [stranger.channelId] });
    expect(theirs.status).toBe(201);
    for (const body of [{ reviewers: [theirs.body.id] }, { reviewers: ['rvw_unknown'] }, { escalation_reviewer: theirs.body.id }]) {
      const created = await createApproval(stack, owner.apiKey, { context: 'Foreign reviewer', ...body });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ error: 'validation_failed' });
    }
  });

  test('when callback_url is not an http(s) URL, has credentials or holds a line break, then the create is refused', async () => {
    for (const url of ['ftp://example.test/hook', 'not a url', 'http://user:pass@127.0.0.1/hook', 'http://127.0.0.1:9/a\r\nX-Evil: 1']) {
      const created = await createApproval(stack, owner.apiKey, { context: 'Bad callback', callback_url: url });
      expect([400, 422]).toContain(created.status);
    }
  });
});

describe('reviewers (/api/reviewers, a management route)', () => {
  test('when a reviewer is made, read, changed and deleted, then each answer shows it as it is', async () => {
    const made = await reviewers(owner.apiKey, { name: 'Carol', channels: [owner.channelId], default: true });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: expect.stringMatching(/^rvw_/), name: 'Carol', channels: [owner.channelId], default: true });
    const id = made.body.id as string;
    expect((await reviewers(owner.apiKey, undefined, 'GET', id)).body).toMatchObject({ name: 'Carol' });
    expect((await reviewers(owner.apiKey, { name: 'Carol B.' }, 'PATCH', id)).body).toMatchObject({ name: 'Carol B.', default: true });
    expect((await reviewers(owner.apiKey, { name: 'Carol C.', channels: [owner.channelId] }, 'PUT', id)).body).toMatchObject({ name: 'Carol C.', default: false });
    const list = await request<{ data: { id: string }[] }>(`${stack.url}/api/reviewers`, { headers: bearer(owner.apiKey) });
    expect(list.body.data.map((r) => r.id)).toContain(id);
    expect((await reviewers(owner.apiKey, undefined, 'DELETE', id)).status).toBe(204);
    expect((await reviewers(owner.apiKey, undefined, 'GET', id)).status).toBe(404);
  });

  test("when another account's key reaches a reviewer, then it is 404 not_found on every route and the reviewer is unchanged", async () => {
    const made = await reviewers(owner.apiKey, { name: 'Dave', channels: [owner.channelId] });
    const id = made.body.id as string;
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Hijacked' }], ['PUT', { name: 'Hijacked', channels: [stranger.channelId] }], ['DELETE']] as const) {
      const answer = await reviewers(stranger.apiKey, body, method, id);
      expect([answer.status, answer.body]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
    }
    expect((await reviewers(owner.apiKey, undefined, 'GET', id)).body).toMatchObject({ name: 'Dave' });
    const list = await request<{ data: { id: string }[] }>(`${stack.url}/api/reviewers`, { headers: bearer(stranger.apiKey) });
    expect(list.body.data.map((r) => r.id)).not.toContain(id);
  });

  test('when the key is in the query rather than a Bearer header, then the management route answers 401', async () => {
    expect((await request(`${stack.url}/api/reviewers?key=${owner.apiKey}`)).status).toBe(401);
  });

  test("when a reviewer's fields are hostile, then each is 400 validation_failed naming the field", async () => {
    const bad: [unknown, string][] = [
      [{ name: '', channels: [owner.channelId] }, 'name'],
      [{ name: 'x'.repeat(201), channels: [owner.channelId] }, 'name'],
      [{ name: 'a\u0000b', channels: [owner.channelId] }, 'name'],
      [{ name: 'No channels', channels: [] }, 'channels'],
      [{ name: 'Their channel', channels: [stranger.channelId] }, 'channels.0'],
      [{ name: 'Too many', channels: Array.from({ length: 11 }, () => owner.channelId) }, 'channels'],
      [{ name: 'Default?', channels: [owner.channelId], default: 'yes' }, 'default'],
    ];
    for (const [body, field] of bad) {
      const answer = await reviewers(owner.apiKey, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'validation_failed', fields: expect.arrayContaining([expect.objectContaining({ path: field })]) });
    }
  });
});
