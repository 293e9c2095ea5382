import type { RequestHandler } from 'express';
import { adminRouter, managementRouter, pathSecretRouter, seed002Router } from '../src/http/families';
import type { RouteFamily } from '../src/http/route-family';
import { createAuthWorld, type AuthWorld } from './support/auth-world';
import { familyApp } from './support/family-app';
import { serve, type Served } from './support/http-client';

/** Answers which family let the request in, for which account, and with what body. */
const whoGotIn =
  (family: string): RequestHandler =>
  (req, res) =>
    void res.json({ family, account: req.accountId ?? null, body: req.body ?? null });

/** One route of each kind, on routers of their own, as later issues will add them. */
function families(world: AuthWorld): Record<'management' | 'seed002' | 'pathSecret' | 'admin', RouteFamily> {
  const management = managementRouter(world);
  management.get('/api/things/:id', (req, res, next) => (req.params.id === 'someone-elses' ? next(management.foreign('thing')) : whoGotIn('management')(req, res, next)));
  management.post('/api/things', whoGotIn('management'));
  const seed002 = seed002Router(world, { bodyLimitBytes: 1024 * 1024 });
  seed002.get('/api/workflows/:id', (req, res, next) => (req.params.id === 'someone-elses' ? next(seed002.foreign('workflow')) : whoGotIn('seed-002')(req, res, next)));
  seed002.post('/hbk/:id', whoGotIn('seed-002'));
  const pathSecret = pathSecretRouter();
  pathSecret.post('/api/webhooks/:inviteCode/:secret', whoGotIn('path-secret'));
  const admin = adminRouter(world);
  admin.get('/admin/ping', whoGotIn('admin'));
  return { management, seed002, pathSecret, admin };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('route families: each authenticates its own routes only', () => {
  let world: AuthWorld;
  let owner: { id: string; apiKey: string };

  beforeAll(async () => {
    // A high limit: these tests fail credentials on purpose and are not about throttling.
    world = await createAuthWorld({ failuresPerMinute: 10_000 });
    owner = await world.newAccount();
  });
  afterAll(() => world?.close());

  describe.each([
    ['management first', (f: ReturnType<typeof families>) => [f.management, f.seed002, f.pathSecret, f.admin]],
    ['management last', (f: ReturnType<typeof families>) => [f.admin, f.pathSecret, f.seed002, f.management]],
  ])('when the families are mounted %s', (_order, arrange) => {
    let app: Served;
    beforeAll(async () => {
      app = await serve(familyApp(arrange(families(world))));
    });
    afterAll(() => app?.close());

    test('then a path-secret route gets in with no credential at all', async () => {
      const reply = await app.request('/api/webhooks/inv_1/whk_secret', { body: { text: 'hi' } });
      expect(reply.status).toBe(200);
      expect(reply.body.family).toBe('path-secret');
    });

    test('then a seed-002 route takes ?key= while a management route refuses it', async () => {
      const seed = await app.request(`/api/workflows/wf_1?key=${owner.apiKey}`);
      expect(seed.status).toBe(200);
      expect(seed.body).toMatchObject({ family: 'seed-002', account: owner.id });
      const management = await app.request(`/api/things/t_1?key=${owner.apiKey}`);
      expect(management.status).toBe(401);
      expect(management.body.error).toBe('unauthorized');
    });

    test('then a management route gets in with Bearer and a seed-002 route with the same header', async () => {
      expect((await app.request('/api/things/t_1', { headers: bearer(owner.apiKey) })).body).toMatchObject({ family: 'management', account: owner.id });
      expect((await app.request('/api/workflows/wf_1', { headers: bearer(owner.apiKey) })).body).toMatchObject({ family: 'seed-002', account: owner.id });
    });

    test('then an API key does not open /admin and the admin key does', async () => {
      const withApiKey = await app.request('/admin/ping', { headers: bearer(owner.apiKey) });
      expect(withApiKey.status).toBe(401);
      expect(withApiKey.body.message).toBe('wrong admin key');
      expect((await app.request('/admin/ping', { headers: bearer(world.adminKey) })).status).toBe(200);
    });

    test('then an unknown /api path without credentials is 404, not 401', async () => {
      const reply = await app.request('/api/nothing-here');
      expect(reply.status).toBe(404);
      expect(reply.body.error).toBe('not_found');
    });

    test('then a known path asked with the wrong method is 405 with Allow, before any credential', async () => {
      const reply = await app.request('/api/things', { method: 'GET' });
      expect(reply.status).toBe(405);
      expect(reply.body.error).toBe('method_not_allowed');
      expect(reply.headers.allow).toBe('POST');
      const page = await app.request('/api/workflows/wf_1', { method: 'DELETE' });
      expect(page.status).toBe(405);
      expect(page.headers.allow).toBe('GET, HEAD');
    });

    test("then someone else's object is 403 in seed 002's family and 404 in management's", async () => {
      const seed = await app.request(`/api/workflows/someone-elses?key=${owner.apiKey}`);
      expect(seed.status).toBe(403);
      expect(seed.body.error).toBe('forbidden');
      const management = await app.request('/api/things/someone-elses', { headers: bearer(owner.apiKey) });
      expect(management.status).toBe(404);
      expect(management.body.error).toBe('not_found');
    });
  });

  describe("seed 002's four places for the key", () => {
    let app: Served;
    beforeAll(async () => {
      app = await serve(familyApp([families(world).seed002]));
    });
    afterAll(() => app?.close());

    test('when the key comes as ?key=, then the account gets in', async () => {
      expect((await app.request(`/hbk/cron_backup?key=${owner.apiKey}`, { body: { status: 'ok' } })).body).toMatchObject({ account: owner.id });
    });

    test('when the key comes as a "key" body field, then the account gets in and the route never sees the key', async () => {
      const reply = await app.request('/hbk/cron_backup', { body: { key: owner.apiKey, status: 'ok', rows_processed: 1500 } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ account: owner.id, body: { status: 'ok', rows_processed: 1500 } });
      expect(reply.body.body).not.toHaveProperty('key');
    });

    test('when the key comes as Bearer, then the account gets in', async () => {
      expect((await app.request('/hbk/cron_backup', { body: { status: 'ok' }, headers: bearer(owner.apiKey) })).body).toMatchObject({ account: owner.id });
    });

    test('when the key comes as the access_token cookie, then the account gets in', async () => {
      const reply = await app.request('/api/workflows/wf_1', { headers: { cookie: `theme=dark; access_token=${owner.apiKey}` } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ account: owner.id });
    });

    test('when an explicit key and a stale cookie are both sent, then the explicit key counts', async () => {
      const reply = await app.request(`/api/workflows/wf_1?key=${owner.apiKey}`, { headers: { cookie: 'access_token=pbk_stale' } });
      expect(reply.status).toBe(200);
    });

    test('when no key comes at all, then 401 says where a key may go', async () => {
      const reply = await app.request('/api/workflows/wf_1');
      expect(reply.status).toBe(401);
      expect(reply.body.message).toMatch(/\?key=.*"key".*Bearer.*access_token/);
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="pingback"');
    });

    test('when ?key= is given twice, then 401 asks for one key', async () => {
      const reply = await app.request(`/api/workflows/wf_1?key=${owner.apiKey}&key=${owner.apiKey}`);
      expect(reply.status).toBe(401);
      expect(reply.body.message).toBe('pass one API key as ?key=');
    });
  });

  describe('management auth failures say which', () => {
    let app: Served;
    beforeAll(async () => {
      app = await serve(familyApp([families(world).management]));
    });
    afterAll(() => app?.close());

    test.each([
      ['no Authorization header', {}, /^missing Authorization header/, 'Bearer realm="pingback"'],
      ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }, /^malformed Authorization header/, 'Bearer realm="pingback", error="invalid_request"'],
      ['an unknown key', { authorization: 'Bearer pbk_unknown' }, /^unknown or revoked API key$/, 'Bearer realm="pingback", error="invalid_token"'],
    ])('when the request has %s, then 401 unauthorized says so, with WWW-Authenticate', async (_what, headers, message, challenge) => {
      const reply = await app.request('/api/things/t_1', { headers });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('unauthorized');
      expect(reply.body.message).toMatch(message);
      expect(reply.headers['www-authenticate']).toBe(challenge);
    });

    test('when a key is revoked, then it no longer gets in', async () => {
      const account = await world.newAccount();
      const second = await world.accounts.addKey(account.id, { id: `key_${Date.now()}`, keyHash: 'unused-hash', hint: 'pbk_…test', name: null });
      expect(await world.accounts.revokeKey(account.id, second.id, new Date())).toBe('revoked');
      expect((await app.request('/api/things/t_1', { headers: bearer(account.apiKey) })).status).toBe(200);
      const [first] = await world.accounts.listActiveKeys(account.id, { limit: 1 });
      await world.db.apiKey.update({ where: { id: first!.id }, data: { revokedAt: new Date() } });
      expect((await app.request('/api/things/t_1', { headers: bearer(account.apiKey) })).status).toBe(401);
    });
  });
});
