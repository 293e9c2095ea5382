import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createChannel, request } from '../support/api';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const sh = promisify(execFile);

interface MonitorView {
  id: string;
  name: string;
  state: string;
  paused: boolean;
  [field: string]: unknown;
}
interface PingView {
  id: string;
  status: string;
  metadata: unknown;
  received_at: string;
}

let stack: Stack;
let owner: { apiKey: string; channelId: string; auth: Record<string, string> };
let stranger: { apiKey: string; channelId: string; auth: Record<string, string> };

const withAuth = (credentials: { apiKey: string; channelId: string }) => ({ ...credentials, auth: { authorization: `Bearer ${credentials.apiKey}` } });

beforeAll(async () => {
  stack = await startStack({ PINGBACK_DEADLINE_INTERVAL_MS: '200' }, MONITORING_SERVICES);
  owner = withAuth(await createChannel(stack));
  stranger = withAuth(await createChannel(stack));
}, 120_000);
afterAll(() => stack?.stop());

const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  request<MonitorView & { error?: string; fields?: { path: string }[]; data?: unknown[] }>(`${stack.url}${path}`, { ...init, headers: { ...owner.auth, ...init.headers } });

async function create(body: Record<string, unknown>, auth = owner.auth): Promise<MonitorView> {
  const created = await request<MonitorView>(`${stack.url}/api/heartbeats`, { body, headers: auth });
  expect(created.status).toBe(201);
  return created.body;
}

const pingsOf = async (id: string) => (await request<{ data: PingView[]; next_cursor: string | null }>(`${stack.url}/api/heartbeats/${id}/pings`, { headers: owner.auth })).body;

describe('heartbeat management', () => {
  test('when a heartbeat is created with a chosen id and a cron schedule, then it is new, has a ping URL, and another account cannot take the id', async () => {
    const created = await api('/api/heartbeats', {
      body: { id: 'cron_backup', name: 'nightly-backup', cron: '0 2 * * *', timezone: 'europe/berlin', grace_seconds: 600, alert_channels: [owner.channelId], repeat_alert_seconds: 900 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'cron_backup',
      name: 'nightly-backup',
      interval_seconds: null,
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      grace_seconds: 600,
      state: 'new',
      paused: false,
      last_ping_at: null,
      next_expected_at: null,
      repeat_alert_seconds: 900,
      depends_on: null,
      alert_channels: [owner.channelId],
      ping_url: `${stack.url}/hbk/cron_backup`,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    // A cron monitor's first ping counts: the next expected time is the next 02:00 in Berlin after it.
    const pinged = await request<{ received_at: string }>(`${stack.url}/hbk/cron_backup?key=${owner.apiKey}`);
    const expected = (await api('/api/heartbeats/cron_backup')).body.next_expected_at as string;
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    expect(berlin.format(new Date(expected))).toBe('02:00:00');
    const ahead = Date.parse(expected) - Date.parse(pinged.body.received_at);
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(25 * 3_600_000);
    const taken = await request(`${stack.url}/api/heartbeats`, { body: { id: 'cron_backup', name: 'mine', interval_seconds: 60, grace_seconds: 0 }, headers: stranger.auth });
    expect(taken).toMatchObject({ status: 409, body: { error: 'id_taken' } });
    const generated = await create({ name: 'no id given', interval_seconds: 60, grace_seconds: 0 });
    expect(generated.id).toMatch(/^hbk_[0-9A-Z]{26}$/);

    const listed = await api('/api/heartbeats');
    expect(listed.status).toBe(200);
    expect((listed.body.data as MonitorView[]).map((m) => m.id)).toEqual(expect.arrayContaining(['cron_backup', generated.id]));
    expect(((await request<{ data: unknown[] }>(`${stack.url}/api/heartbeats`, { headers: stranger.auth })).body.data as MonitorView[]).map((m) => m.id)).not.toContain('cron_backup');
  });

  test("when the seed's pulse examples run as shell, then each answers 200 and the last pings show their status and metadata, newest first", async () => {
    const monitor = await create({ id: 'seed_pulse', name: 'seed pulse', interval_seconds: 3600, grace_seconds: 60 });
    const get = await sh('sh', ['-c', `curl -sS "${stack.url}/hbk/${monitor.id}?key=${owner.apiKey}"`]);
    expect(JSON.parse(get.stdout)).toEqual({ status: 'success', target_id: monitor.id, state: 'up', paused: false, received_at: expect.stringMatching(/Z$/) });
    const post = await sh('sh', [
      '-c',
      `curl -sS -X POST "${stack.url}/hbk/${monitor.id}" -H "Content-Type: application/json" -d '{"key":"${owner.apiKey}","status":"ok","rows_processed":1500}'`,
    ]);
    expect(JSON.parse(post.stdout)).toMatchObject({ status: 'success', target_id: monitor.id, state: 'up' });

    const pings = await pingsOf(monitor.id);
    expect(pings.data.map((p) => ({ status: p.status, metadata: p.metadata }))).toEqual([
      { status: 'ok', metadata: { status: 'ok', rows_processed: 1500 } },
      { status: 'ok', metadata: null },
    ]);
    const read = await api(`/api/heartbeats/${monitor.id}`);
    expect(read.body).toMatchObject({ state: 'up', last_ping_at: pings.data[0]!.received_at });
    expect(Date.parse(read.body.next_expected_at as string) - Date.parse(pings.data[0]!.received_at)).toBe(3_600_000);
  });

  test('when a heartbeat is changed, paused, pinged while paused, resumed and deleted, then each answer shows it', async () => {
    const monitor = await create({ name: 'backup', interval_seconds: 60, grace_seconds: 10 });
    const patched = await api(`/api/heartbeats/${monitor.id}`, { method: 'PATCH', body: { name: 'renamed', cron: '30 * * * *', timezone: 'America/New_York' } });
    expect(patched).toMatchObject({ status: 200, body: { name: 'renamed', interval_seconds: null, cron: '30 * * * *', timezone: 'America/New_York', grace_seconds: 10 } });
    const replaced = await api(`/api/heartbeats/${monitor.id}`, { method: 'PUT', body: { name: 'replaced', interval_seconds: 120, grace_seconds: 5 } });
    expect(replaced).toMatchObject({ status: 200, body: { name: 'replaced', interval_seconds: 120, cron: null, timezone: null, grace_seconds: 5, alert_channels: [] } });

    await request(`${stack.url}/hbk/${monitor.id}?key=${owner.apiKey}`);
    const paused = await api(`/api/heartbeats/${monitor.id}/pause`, { method: 'POST' });
    expect(paused).toMatchObject({ status: 200, body: { state: 'up', paused: true } });
    const pausedPing = await request(`${stack.url}/hbk/${monitor.id}?key=${owner.apiKey}&status=fail`);
    expect(pausedPing).toMatchObject({ status: 200, body: { state: 'up', paused: true } });
    expect((await pingsOf(monitor.id)).data[0]).toMatchObject({ status: 'fail' });
    expect((await request<{ data: unknown[] }>(`${stack.url}/api/alerts?subject_id=${monitor.id}`, { headers: owner.auth })).body.data).toEqual([]);

    const resumed = await api(`/api/heartbeats/${monitor.id}/resume`, { method: 'POST' });
    expect(resumed).toMatchObject({ status: 200, body: { state: 'new', paused: false, next_expected_at: null } });
    expect(await request(`${stack.url}/hbk/${monitor.id}?key=${owner.apiKey}`)).toMatchObject({ status: 200, body: { state: 'up' } });

    expect((await api(`/api/heartbeats/${monitor.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await api(`/api/heartbeats/${monitor.id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await request(`${stack.url}/hbk/${monitor.id}?key=${owner.apiKey}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('when pings arrive at once, then every one is recorded and the state is up; only the last 100 are kept', async () => {
    const monitor = await create({ name: 'busy', interval_seconds: 3600, grace_seconds: 0 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => request(`${stack.url}/hbk/${monitor.id}`, { body: { key: owner.apiKey, n: i } })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect((await pingsOf(monitor.id)).data).toHaveLength(12);
    expect((await api(`/api/heartbeats/${monitor.id}`)).body.state).toBe('up');

    for (let i = 0; i < 100; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => request(`${stack.url}/hbk/${monitor.id}`, { body: { key: owner.apiKey, batch: i + j } })));
    const first = await request<{ data: PingView[]; next_cursor: string }>(`${stack.url}/api/heartbeats/${monitor.id}/pings?limit=100`, { headers: owner.auth });
    expect(first.body.data).toHaveLength(100);
    expect(first.body.data.every((p) => (p.metadata as { batch?: number }).batch !== undefined)).toBe(true);
    const rest = await request<{ data: PingView[] }>(`${stack.url}/api/heartbeats/${monitor.id}/pings?cursor=${first.body.data[99]!.id}`, { headers: owner.auth });
    expect(rest.body.data).toEqual([]);
  });

  test('when depends_on names the heartbeat itself or closes a cycle, then 400 names depends_on', async () => {
    const a = await create({ name: 'a', interval_seconds: 60, grace_seconds: 0 });
    const b = await create({ name: 'b', interval_seconds: 60, grace_seconds: 0, depends_on: a.id });
    const self = await api(`/api/heartbeats/${a.id}`, { method: 'PATCH', body: { depends_on: a.id } });
    const cycle = await api(`/api/heartbeats/${a.id}`, { method: 'PATCH', body: { depends_on: b.id } });
    for (const answer of [self, cycle]) expect(answer).toMatchObject({ status: 400, body: { error: 'validation_failed', fields: [{ path: 'depends_on' }] } });
    expect((await api(`/api/heartbeats/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/heartbeats/${b.id}`)).body.depends_on).toBeNull();
  });
});

describe('who may use a heartbeat', () => {
  test("when another account's key is used, then every heartbeat route answers 403; an unknown id 404; a bad key 401", async () => {
    const mine = await create({ name: 'mine', interval_seconds: 60, grace_seconds: 0 });
    const routes: [string, string, unknown?][] = [
      ['GET', `/hbk/${mine.id}`],
      ['POST', `/hbk/${mine.id}`, {}],
      ['GET', `/hhk/${mine.id}`],
      ['POST', `/hhk/${mine.id}`, { status: 'ok' }],
      ['GET', `/api/heartbeats/${mine.id}`],
      ['PUT', `/api/heartbeats/${mine.id}`, { name: 'x', interval_seconds: 60, grace_seconds: 0 }],
      ['PATCH', `/api/heartbeats/${mine.id}`, { name: 'x' }],
      ['DELETE', `/api/heartbeats/${mine.id}`],
      ['POST', `/api/heartbeats/${mine.id}/pause`, {}],
      ['POST', `/api/heartbeats/${mine.id}/resume`, {}],
      ['GET', `/api/heartbeats/${mine.id}/pings`],
    ];
    for (const [method, path, body] of routes) {
      const foreign = await request(`${stack.url}${path}`, { method, body, headers: stranger.auth });
      expect({ route: `${method} ${path}`, status: foreign.status, error: (foreign.body as { error?: string }).error }).toEqual({ route: `${method} ${path}`, status: 403, error: 'forbidden' });
      const unknownPath = path.replace(mine.id, 'no_such_heartbeat');
      const unknown = await request(`${stack.url}${unknownPath}`, { method, body, headers: owner.auth });
      expect({ route: `${method} ${unknownPath}`, status: unknown.status, error: (unknown.body as { error?: string }).error }).toEqual({ route: `${method} ${unknownPath}`, status: 404, error: 'not_found' });
    }
    for (const [method, path, body] of routes.slice(0, 5)) {
      const bad = await request(`${stack.url}${path}`, { method, body, headers: { authorization: 'Bearer pbk_not_a_key' } });
      expect({ route: `${method} ${path}`, status: bad.status }).toEqual({ route: `${method} ${path}`, status: 401 });
    }
    expect((await api(`/api/heartbeats/${mine.id}`)).body.name).toBe('mine');
  });
});

describe('hostile input to heartbeats', () => {
  test('when an interval heartbeat is given a time zone, then POST, PUT and PATCH answer the same 400 naming timezone, and nothing is stored', async () => {
    const monitor = await create({ name: 'interval', interval_seconds: 60, grace_seconds: 0 });
    const ids = async () => ((await api('/api/heartbeats?limit=100')).body.data as MonitorView[]).map((m) => m.id);
    const before = await ids();
    const onlyCron = { status: 400, error: 'validation_failed', fields: [{ path: 'timezone', message: 'only a cron schedule has a time zone' }] };
    const answers = [
      ['POST', '/api/heartbeats', { name: 'x', interval_seconds: 60, grace_seconds: 0, timezone: 'Europe/Berlin' }],
      ['POST', '/api/heartbeats', { name: 'x', interval_seconds: 60, grace_seconds: 0, timezone: 'UTC' }],
      ['PUT', `/api/heartbeats/${monitor.id}`, { name: 'x', interval_seconds: 60, grace_seconds: 0, timezone: 'Europe/Berlin' }],
      ['PATCH', `/api/heartbeats/${monitor.id}`, { timezone: 'Europe/Berlin' }],
      ['PATCH', `/api/heartbeats/${monitor.id}`, { interval_seconds: 120, timezone: 'Europe/Berlin' }],
    ] as const;
    for (const [method, path, body] of answers) {
      const answer = await api(path, { method, body });
      expect({ method, body, status: answer.status, error: answer.body.error, fields: answer.body.fields }).toEqual({ method, body, ...onlyCron });
    }
    expect(await ids()).toEqual(before);
    const view = (await api(`/api/heartbeats/${monitor.id}`)).body;
    expect(view).toMatchObject({ name: 'interval', interval_seconds: 60, cron: null, timezone: null });
    // What GET shows can be PUT back as it is.
    const { name, interval_seconds, cron, timezone, grace_seconds } = view as Record<string, unknown>;
    expect((await api(`/api/heartbeats/${monitor.id}`, { method: 'PUT', body: { name, interval_seconds, cron, timezone, grace_seconds } })).status).toBe(200);
    // The control: the same zone with a cron schedule is stored.
    expect(await api(`/api/heartbeats/${monitor.id}`, { method: 'PUT', body: { name: 'x', cron: '0 2 * * *', grace_seconds: 0, timezone: 'Europe/Berlin' } })).toMatchObject({
      status: 200,
      body: { interval_seconds: null, cron: '0 2 * * *', timezone: 'Europe/Berlin' },
    });
  });

  test('when a field is unstorable, out of range or malformed, then 400 validation_failed names it (never a 5xx)', async () => {
    const monitor = await create({ name: 'target', interval_seconds: 60, grace_seconds: 0 });
    const other = await create({ name: 'theirs', interval_seconds: 60, grace_seconds: 0 }, stranger.auth);
    const valid = { name: 'x', interval_seconds: 60, grace_seconds: 0 };
    const creates: [Record<string, unknown>, string][] = [
      [{ ...valid, name: 'nul\u0000name' }, 'name'],
      [{ ...valid, name: 'bell\u0007' }, 'name'],
      [{ ...valid, name: 'x'.repeat(201) }, 'name'],
      [{ ...valid, interval_seconds: 0 }, 'interval_seconds'],
      [{ ...valid, interval_seconds: 1e12 }, 'interval_seconds'],
      [{ ...valid, interval_seconds: 1.5 }, 'interval_seconds'],
      [{ ...valid, grace_seconds: -1 }, 'grace_seconds'],
      [{ name: 'x', cron: '* * *', grace_seconds: 0 }, 'cron'],
      [{ name: 'x', cron: '0 0 30 2 *', grace_seconds: 0 }, 'cron'],
      [{ name: 'x', cron: '0 2 * * *', timezone: 'Mars/Olympus', grace_seconds: 0 }, 'timezone'],
      [{ name: 'x', interval_seconds: 60, cron: '0 2 * * *', grace_seconds: 0 }, 'interval_seconds'],
      [{ ...valid, depends_on: other.id }, 'depends_on'],
      [{ ...valid, depends_on: 'nope\u0000' }, 'depends_on'],
      [{ ...valid, id: 'has space' }, 'id'],
      [{ ...valid, id: 'x'.repeat(65) }, 'id'],
      [{ ...valid, repeat_alert_seconds: 0 }, 'repeat_alert_seconds'],
      [{ ...valid, alert_channels: 'ch_1' }, 'alert_channels'],
      [{ ...valid, alert_channels: [stranger.channelId] }, 'alert_channels.0'],
    ];
    for (const [body, field] of creates) {
      const answer = await api('/api/heartbeats', { body });
      expect({ body, status: answer.status, error: answer.body.error, field: answer.body.fields?.[0]?.path }).toEqual({ body, status: 400, error: 'validation_failed', field });
    }
    const pings: [string, unknown | undefined, string][] = [
      [`?status=abc`, undefined, 'status'],
      // The gateway refuses a NUL anywhere in the URL before forwarding.
      [`?status=ok%00`, undefined, 'url'],
      [`?status=1&status=0`, undefined, 'status'],
      ['', { status: 'abc' }, 'status'],
      ['', { status: 'ok\u0000' }, 'status'],
      ['', ['an', 'array'], ''],
      ['', { blob: 'x'.repeat(70 * 1024) }, ''],
    ];
    for (const [query, body, field] of pings) {
      const url = `${stack.url}/hbk/${monitor.id}${query ? `${query}&` : '?'}key=${owner.apiKey}`;
      const answer = await request<{ error?: string; fields?: { path: string }[] }>(url, body === undefined ? {} : { body });
      expect({ query, body, status: answer.status, error: answer.body.error, field: answer.body.fields?.[0]?.path }).toEqual({ query, body, status: 400, error: 'validation_failed', field });
    }
    const patches: [Record<string, unknown>, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ interval_seconds: 0 }, 'interval_seconds'],
      [{ cron: '* * *' }, 'cron'],
      [{ depends_on: other.id }, 'depends_on'],
    ];
    for (const [body, field] of patches) {
      const answer = await api(`/api/heartbeats/${monitor.id}`, { method: 'PATCH', body });
      expect({ body, status: answer.status, field: answer.body.fields?.[0]?.path }).toEqual({ body, status: 400, field });
    }
    expect(await api('/api/heartbeats?limit=abc')).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(await api('/api/heartbeats/bad%00id')).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(await api(`/api/heartbeats/${'x'.repeat(65)}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    // Nothing reached the tracker's "unexpected error" path (which would answer 500).
    expect(stack.services.get('workflow-tracker')!.logs()).not.toMatch(/"level":(50|60)/);
  });
});
