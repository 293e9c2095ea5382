import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '@pingback/testing';
import { createChannel, request } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const sh = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunView {
  run_id: string;
  status: string;
  agent: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  overdue: boolean;
  start_metadata: unknown;
  finish_metadata: unknown;
}
interface Notification {
  title: string;
  data: { alert: { event: string }; subject: { type: string; id: string }; state_url: string };
}
type Answer = { error?: string; fields?: { path: string }[]; [field: string]: unknown };

let stack: Stack;
let phones: Receiver;
let owner: { apiKey: string; channelId: string; auth: Record<string, string> };
let stranger: { apiKey: string; channelId: string; auth: Record<string, string> };

const withAuth = (credentials: { apiKey: string; channelId: string }) => ({ ...credentials, auth: { authorization: `Bearer ${credentials.apiKey}` } });

beforeAll(async () => {
  stack = await startStack({ PINGBACK_DEADLINE_INTERVAL_MS: '200', PINGBACK_OUTBOX_INTERVAL_MS: '200' }, MONITORING_SERVICES);
  phones = await startReceiver(() => ({ status: 204 }));
  owner = withAuth(await createChannel(stack, [{ type: 'webhook', url: `${phones.url}/owner` }]));
  stranger = withAuth(await createChannel(stack));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await phones?.close();
});

async function createHook(body: Record<string, unknown>, auth = owner.auth): Promise<{ id: string; [field: string]: unknown }> {
  const created = await request<{ id: string }>(`${stack.url}/api/process-hooks`, { body, headers: auth });
  expect(created.status).toBe(201);
  return created.body;
}

const received = (hookId: string, event: string) =>
  phones.requests.filter((r) => {
    const n = r.json as Notification | undefined;
    return n?.data?.subject?.id === hookId && n.data.alert.event === event;
  });
const alertsOf = async (hookId: string) =>
  (await request<{ data: { event: string; title: string }[] }>(`${stack.url}/api/alerts?subject_id=${hookId}`, { headers: owner.auth })).body.data;
const runsOf = async (hookId: string) => (await request<{ data: RunView[] }>(`${stack.url}/api/process-hooks/${hookId}/runs`, { headers: owner.auth })).body.data;
const start = (hookId: string, body: Record<string, unknown> = {}) => request<Answer>(`${stack.url}/phk/${hookId}/start`, { body: { key: owner.apiKey, ...body } });
const finish = (hookId: string, body: Record<string, unknown> = {}) => request<Answer>(`${stack.url}/phk/${hookId}/finish`, { body: { key: owner.apiKey, ...body } });

describe('process hooks', () => {
  test("when the seed's four PHK curl examples run as shell, then each answers 200 with the documented body", async () => {
    const hook = await createHook({ id: 'ph123', name: 'nightly-backup', max_duration_seconds: 600, alert_channels: [owner.channelId] });
    expect(hook).toEqual({
      id: 'ph123',
      name: 'nightly-backup',
      max_duration_seconds: 600,
      alert_channels: [owner.channelId],
      start_url: `${stack.url}/phk/ph123/start`,
      finish_url: `${stack.url}/phk/ph123/finish`,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const curl = async (command: string) => JSON.parse((await sh('sh', ['-c', command])).stdout) as Record<string, unknown>;
    const base = stack.url;
    const key = owner.apiKey;

    const getStart = await curl(`curl -sS "${base}/phk/ph123/start?key=${key}"`);
    expect(getStart).toEqual({ status: 'success', process_hook_id: 'ph123', run_id: expect.stringMatching(/^run_[0-9A-Z]{26}$/), started_at: expect.stringMatching(/Z$/) });
    const postStart = await curl(
      `curl -sS -X POST "${base}/phk/ph123/start" -H "Content-Type: application/json" -d '{"key":"${key}","agent":"ci-server","metadata":{"job":"nightly_backup"}}'`,
    );
    expect(postStart).toMatchObject({ status: 'success', process_hook_id: 'ph123' });
    expect(postStart.run_id).not.toBe(getStart.run_id);

    const getFinish = await curl(`curl -sS "${base}/phk/ph123/finish?key=${key}"`);
    expect(getFinish).toEqual({ status: 'success', process_hook_id: 'ph123', run_id: getStart.run_id, duration_ms: expect.any(Number), result: 'succeeded' });
    const postFinish = await curl(
      `curl -sS -X POST "${base}/phk/ph123/finish" -H "Content-Type: application/json" -d '{"key":"${key}","agent":"ci-server","metadata":{"status":"success","duration_ms":45000}}'`,
    );
    expect(postFinish).toEqual({ status: 'success', process_hook_id: 'ph123', run_id: postStart.run_id, duration_ms: expect.any(Number), result: 'succeeded' });

    const runs = await runsOf('ph123');
    expect(runs).toEqual([
      {
        run_id: postStart.run_id,
        status: 'succeeded',
        agent: 'ci-server',
        started_at: postStart.started_at,
        finished_at: expect.stringMatching(/Z$/),
        duration_ms: postFinish.duration_ms,
        overdue: false,
        start_metadata: { job: 'nightly_backup' },
        finish_metadata: { status: 'success', duration_ms: 45000 },
      },
      expect.objectContaining({ run_id: getStart.run_id, status: 'succeeded', agent: null, overdue: false, start_metadata: null, finish_metadata: null }),
    ]);
  });

  test('when one run outlives its maximum and another finishes in time, then the first alerts exactly once (and can still finish), the second never', async () => {
    const slow = await createHook({ name: 'slow-job', max_duration_seconds: 1, alert_channels: [owner.channelId] });
    const quick = await createHook({ name: 'quick-job', max_duration_seconds: 1, alert_channels: [owner.channelId] });
    const slowRun = await start(slow.id, { agent: 'runner-1' });
    const quickRun = await start(quick.id);
    expect((await finish(quick.id, { run_id: quickRun.body.run_id })).body).toMatchObject({ result: 'succeeded' });

    const [overdue] = await waitFor(() => received(slow.id, 'process.overdue').length > 0 && received(slow.id, 'process.overdue'), { timeoutMs: 15_000, description: 'the overdue alert' });
    expect(overdue!.json).toMatchObject({ title: 'slow-job has run longer than 1s', data: { subject: { type: 'process_hook', id: slow.id }, state_url: `${stack.url}/api/process-hooks/${slow.id}/runs` } });
    expect((await runsOf(slow.id))[0]).toMatchObject({ run_id: slowRun.body.run_id, status: 'running', overdue: true });
    await sleep(2_000);
    expect(received(slow.id, 'process.overdue')).toHaveLength(1);
    expect(await alertsOf(quick.id)).toEqual([]);
    expect(phones.requests.filter((r) => (r.json as Notification).data?.subject?.id === quick.id)).toEqual([]);

    const late = await finish(slow.id);
    expect(late).toMatchObject({ status: 200, body: { run_id: slowRun.body.run_id, result: 'succeeded' } });
    expect(late.body.duration_ms as number).toBeGreaterThanOrEqual(1_000);
    expect((await runsOf(slow.id))[0]).toMatchObject({ status: 'succeeded', overdue: true });
    expect((await alertsOf(slow.id)).map((a) => a.event)).toEqual(['process.overdue']);
  });

  test('when runs overlap, then each start is its own run, a finish with run_id closes that one, and one without closes the oldest', async () => {
    const hook = await createHook({ name: 'parallel', max_duration_seconds: 600 });
    const other = await createHook({ name: 'other', max_duration_seconds: 600 });
    const first = (await start(hook.id, { agent: 'a' })).body.run_id as string;
    const second = (await start(hook.id, { agent: 'b' })).body.run_id as string;
    const otherRun = (await start(other.id)).body.run_id as string;

    expect(await finish(hook.id, { run_id: second })).toMatchObject({ status: 200, body: { run_id: second, result: 'succeeded' } });
    expect((await runsOf(hook.id)).map((r) => [r.run_id, r.status])).toEqual([
      [second, 'succeeded'],
      [first, 'running'],
    ]);
    expect(await finish(hook.id, { run_id: second })).toMatchObject({ status: 409, body: { error: 'no_running_process' } });
    expect(await finish(hook.id, { run_id: otherRun })).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await finish(hook.id, { run_id: 'run_01KBCDEFGHJKMNPQRSTVWXYZ00' })).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await request(`${stack.url}/phk/${hook.id}/finish?key=${owner.apiKey}`)).toMatchObject({ status: 200, body: { run_id: first } });
    expect(await request(`${stack.url}/phk/${hook.id}/finish?key=${owner.apiKey}`)).toMatchObject({ status: 409, body: { error: 'no_running_process' } });

    const together = await Promise.all([start(hook.id), start(hook.id), start(hook.id)]);
    const ids = together.map((a) => a.body.run_id);
    expect(new Set(ids).size).toBe(3);
    const finished = await Promise.all([finish(hook.id), finish(hook.id), finish(hook.id)]);
    expect(finished.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(finished.map((a) => a.body.run_id))).toEqual(new Set(ids));
  });

  test('when a finish reports a failure in its metadata or as status=1, then the run failed and a failure alert comes', async () => {
    const hook = await createHook({ name: 'etl', max_duration_seconds: 600, alert_channels: [owner.channelId] });
    await start(hook.id);
    expect(await finish(hook.id, { metadata: { status: 'failed', rows: 0 } })).toMatchObject({ status: 200, body: { result: 'failed' } });
    await start(hook.id);
    expect(await request(`${stack.url}/phk/${hook.id}/finish?key=${owner.apiKey}&status=1`)).toMatchObject({ status: 200, body: { result: 'failed' } });
    expect((await alertsOf(hook.id)).map((a) => a.title)).toEqual(['etl reported a failure (exit code 1)', 'etl reported a failure (status "failed")']);
    await waitFor(() => received(hook.id, 'process.failed').length === 2, { timeoutMs: 15_000, description: 'two failure alerts' });
    expect((await runsOf(hook.id)).map((r) => r.status)).toEqual(['failed', 'failed']);
  });
});

describe('who may use a process hook', () => {
  test("when another account's key is used, then every process hook route answers 403; an unknown id 404; a bad key 401", async () => {
    const hook = await createHook({ name: 'mine', max_duration_seconds: 600 });
    const routes: [string, string, unknown?][] = [
      ['GET', `/phk/${hook.id}/start`],
      ['POST', `/phk/${hook.id}/start`, {}],
      ['GET', `/phk/${hook.id}/finish`],
      ['POST', `/phk/${hook.id}/finish`, {}],
      ['GET', `/api/process-hooks/${hook.id}`],
      ['PUT', `/api/process-hooks/${hook.id}`, { name: 'x', max_duration_seconds: 60 }],
      ['PATCH', `/api/process-hooks/${hook.id}`, { name: 'x' }],
      ['DELETE', `/api/process-hooks/${hook.id}`],
      ['GET', `/api/process-hooks/${hook.id}/runs`],
    ];
    for (const [method, path, body] of routes) {
      const foreign = await request<Answer>(`${stack.url}${path}`, { method, body, headers: stranger.auth });
      expect({ route: `${method} ${path}`, status: foreign.status, error: foreign.body.error }).toEqual({ route: `${method} ${path}`, status: 403, error: 'forbidden' });
      const unknownPath = path.replace(hook.id, 'no_such_hook');
      const unknown = await request<Answer>(`${stack.url}${unknownPath}`, { method, body, headers: owner.auth });
      expect({ route: `${method} ${unknownPath}`, status: unknown.status, error: unknown.body.error }).toEqual({ route: `${method} ${unknownPath}`, status: 404, error: 'not_found' });
    }
    for (const [method, path, body] of routes.slice(0, 5)) {
      const bad = await request(`${stack.url}${path}`, { method, body, headers: { authorization: 'Bearer pbk_not_a_key' } });
      expect({ route: `${method} ${path}`, status: bad.status }).toEqual({ route: `${method} ${path}`, status: 401 });
    }
    expect(await runsOf(hook.id)).toEqual([]);
    const taken = await request<Answer>(`${stack.url}/api/process-hooks`, { body: { id: hook.id, name: 'mine too', max_duration_seconds: 60 }, headers: stranger.auth });
    expect(taken).toMatchObject({ status: 409, body: { error: 'id_taken' } });
  });
});

describe('hostile input to process hooks', () => {
  test('when a field is unstorable, too long or of the wrong kind, then 400 validation_failed names it (never a 5xx)', async () => {
    const hook = await createHook({ name: 'target', max_duration_seconds: 600 });
    const valid = { name: 'x', max_duration_seconds: 60 };
    const creates: [Record<string, unknown>, string][] = [
      [{ ...valid, name: 'nul\u0000' }, 'name'],
      [{ ...valid, max_duration_seconds: 0 }, 'max_duration_seconds'],
      [{ ...valid, max_duration_seconds: 1e12 }, 'max_duration_seconds'],
      [{ ...valid, max_duration_seconds: '60' }, 'max_duration_seconds'],
      [{ ...valid, alert_channels: [stranger.channelId] }, 'alert_channels.0'],
      [{ ...valid, id: '../x' }, 'id'],
    ];
    for (const [body, field] of creates) {
      const answer = await request<Answer>(`${stack.url}/api/process-hooks`, { body, headers: owner.auth });
      expect({ body, status: answer.status, error: answer.body.error, field: answer.body.fields?.[0]?.path }).toEqual({ body, status: 400, error: 'validation_failed', field });
    }
    const pings: [string, Record<string, unknown> | unknown[], string][] = [
      ['start', { agent: 'nul\u0000agent' }, 'agent'],
      ['start', { agent: 'bell\u0007' }, 'agent'],
      ['start', { agent: 'x'.repeat(10_240) }, 'agent'],
      ['start', { agent: 42 }, 'agent'],
      ['start', { metadata: ['an', 'array'] }, 'metadata'],
      ['start', { metadata: 'a string' }, 'metadata'],
      ['start', { metadata: { blob: 'x'.repeat(70 * 1024) } }, 'metadata'],
      ['finish', { status: 'abc' }, 'status'],
      ['finish', { status: 'fail\u0000' }, 'status'],
      ['finish', { run_id: 'run_\u0000' }, 'run_id'],
      ['finish', { run_id: 12 }, 'run_id'],
      ['finish', { metadata: [] }, 'metadata'],
    ];
    for (const [action, body, field] of pings) {
      const answer = await request<Answer>(`${stack.url}/phk/${hook.id}/${action}`, { body: { key: owner.apiKey, ...body } });
      expect({ action, field, status: answer.status, error: answer.body.error, path: answer.body.fields?.[0]?.path }).toEqual({ action, field, status: 400, error: 'validation_failed', path: field });
    }
    const queries = [`start?agent=${'x'.repeat(10_240)}`, 'finish?status=abc', 'start?agent=%07', 'finish?run_id=a&run_id=b'];
    for (const query of queries) {
      const answer = await request<Answer>(`${stack.url}/phk/${hook.id}/${query}&key=${owner.apiKey}`);
      expect({ query: query.slice(0, 40), status: answer.status, error: answer.body.error }).toEqual({ query: query.slice(0, 40), status: 400, error: 'validation_failed' });
    }
    expect(await runsOf(hook.id)).toEqual([]);
    // Nothing reached the tracker's "unexpected error" path (which would answer 500).
    expect(stack.services.get('workflow-tracker')!.logs()).not.toMatch(/"level":(50|60)/);
  });
});
