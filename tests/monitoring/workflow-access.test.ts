import { createChannel, request, type ChannelCredentials } from '../support/api';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

let stack: Stack;
let owner: ChannelCredentials;
let stranger: ChannelCredentials;
let staticId: string;
let instanceId: string;

beforeAll(async () => {
  // Every route is tried with a wrong key: more failed credentials than a minute allows by default.
  stack = await startStack({ PINGBACK_AUTH_FAILURES_PER_MINUTE: '200' }, MONITORING_SERVICES);
  [owner, stranger] = await Promise.all([createChannel(stack), createChannel(stack)]);
  const created = await as(owner, '/api/workflows', { body: { id: 'owned_static', name: 'Owned', stages: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] } });
  staticId = (created.body as { id: string }).id;
  await as(owner, '/dhk/owned_dynamic?stagePath=1&start=yes');
  const ping = await as(owner, `/shk/${staticId}?stage=1`);
  instanceId = (ping.body as { instance_id: string }).instance_id;
}, 120_000);
afterAll(() => stack?.stop());

function as(who: ChannelCredentials | string, path: string, init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const key = typeof who === 'string' ? who : who.apiKey;
  return request(`${stack.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
}

/** Every seed-002 workflow route, for an object id (a workflow, or an instance for /api/instances). */
const routes = (workflow: string, dynamic: string, instance: string): [string, string, unknown?][] => [
  ['GET', `/shk/${workflow}?stage=1`],
  ['POST', `/shk/${workflow}?stage=1`, { step: 'x' }],
  ['GET', `/dhk/${dynamic}?stagePath=2`],
  ['POST', `/dhk/${dynamic}?stagePath=1&start=yes`, {}],
  ['GET', `/dhk/${dynamic}/tree`],
  ['GET', `/api/workflows/${workflow}`],
  ['PUT', `/api/workflows/${workflow}`, { name: 'Mine now' }],
  ['PATCH', `/api/workflows/${workflow}`, { name: 'Mine now' }],
  ['DELETE', `/api/workflows/${workflow}`],
  ['GET', `/api/workflows/${workflow}/instances`],
  ['GET', `/api/workflows/${dynamic}/instances`],
  ['GET', `/api/workflows/${workflow}/failed-pings`],
  ['GET', `/api/instances/${instance}`],
  ['GET', `/api/instances/${instance}/timeline`],
  ['POST', `/api/instances/${instance}/fork`, { fork_from_stage: '1' }],
  ['POST', `/api/instances/${instance}/rerun`, {}],
  ['GET', `/api/instances/${instance}/cost`],
  ['POST', `/api/instances/${instance}/resume`],
  ['POST', '/api/instances/compare', { instance_a: instance, instance_b: instance }],
  ['GET', `/api/workflows/${workflow}/cost`],
  ['GET', `/api/workflows/${workflow}/budget`],
  ['PUT', `/api/workflows/${workflow}/budget`, { budget_limit_usd: 0.01, budget_action: 'terminate' }],
  ['GET', `/api/workflows/${workflow}/cost-alerts`],
];

describe("another account's objects", () => {
  test("when another account's key names a workflow or instance on any route, then 403 forbidden, and nothing changed", async () => {
    for (const [method, path, body] of routes(staticId, 'owned_dynamic', instanceId)) {
      const answer = await as(stranger, path, { method, body });
      expect({ method, path, status: answer.status, body: answer.body }).toMatchObject({ method, path, status: 403, body: { error: 'forbidden' } });
    }
    const workflow = await as(owner, `/api/workflows/${staticId}`);
    expect(workflow).toMatchObject({ status: 200, body: { name: 'Owned' } });
    const instances = await as(owner, `/api/workflows/${staticId}/instances`);
    expect(instances.body).toMatchObject({ running_instance: { id: instanceId, stage_statuses: { '1': { status: 'healthy' } } }, recent_instances: [] });
    expect((await as(owner, `/api/workflows/${staticId}/budget`)).body).toMatchObject({ budget_enabled: false });
  });

  test("when another account's key lists workflows, then it sees none of the owner's", async () => {
    const listed = await as(stranger, '/api/workflows');
    expect(listed).toMatchObject({ status: 200, body: { data: [], next_cursor: null } });
  });

  test('when an id is unknown, then 404 not_found on every route', async () => {
    for (const [method, path, body] of routes('no_such_workflow', 'no_such_dynamic', 'wfi_01KBCDEFGHJKMNPQRSTVWXYZ00')) {
      if (path.includes('start=yes')) continue; // start=yes creates the workflow (below)
      const answer = await as(owner, path, { method, body });
      expect({ method, path, status: answer.status, body: answer.body }).toMatchObject({ method, path, status: 404, body: { error: 'not_found' } });
    }
    const created = await as(owner, '/dhk/brand_new?stagePath=1&start=yes');
    expect(created).toMatchObject({ status: 200, body: { workflow_id: 'brand_new', workflow_status: 'running' } });
  });

  test('when the key is unknown or missing, then 401 unauthorized', async () => {
    for (const [method, path, body] of routes(staticId, 'owned_dynamic', instanceId)) {
      const unknown = await as('pbk_notakey', path, { method, body });
      const missing = await request(`${stack.url}${path}`, { method, ...(body !== undefined ? { body } : {}) });
      for (const answer of [unknown, missing]) expect({ path, status: answer.status, error: (answer.body as { error: string }).error }).toEqual({ path, status: 401, error: 'unauthorized' });
    }
  });
});

describe('hostile input', () => {
  const pings: [string, string][] = [
    ['NUL in agent', `/shk/owned_static?stage=1&agent=a%00b`],
    ['a control character in agent', `/shk/owned_static?stage=1&agent=a%07b`],
    ['NUL in stagename', `/dhk/owned_dynamic?stagePath=2&stagename=x%00y`],
    ['an escape sequence in stagename', `/dhk/owned_dynamic?stagePath=2&stagename=%1B%5B2J`],
    ['a 10 kB stagename', `/dhk/owned_dynamic?stagePath=2&stagename=${'x'.repeat(10_240)}`],
    ['a 10 kB agent', `/dhk/owned_dynamic?stagePath=2&agent=${'x'.repeat(10_240)}`],
    ['path 1..2', `/dhk/owned_dynamic?stagePath=1..2`],
    ['path 0', `/dhk/owned_dynamic?stagePath=0`],
    ['path 01', `/dhk/owned_dynamic?stagePath=01`],
    ['path 1.', `/dhk/owned_dynamic?stagePath=1.`],
    ['path a', `/dhk/owned_dynamic?stagePath=a`],
    ['path with 11 levels', `/dhk/owned_dynamic?stagePath=${Array(11).fill('1').join('.')}`],
    ['a huge path level', `/dhk/owned_dynamic?stagePath=2.${'9'.repeat(400)}`],
    ['no path', `/dhk/owned_dynamic`],
    ['stagePath and stage naming different stages', `/dhk/owned_dynamic?stagePath=2&stage=3`],
    ['stagePath twice', `/dhk/owned_dynamic?stagePath=2&stagePath=3`],
    ['start=maybe', `/dhk/owned_dynamic?stagePath=2&start=maybe`],
    ['stage=abc', `/shk/owned_static?stage=abc`],
    ['stage=0', `/shk/owned_static?stage=0`],
    ['stage=-1', `/shk/owned_static?stage=-1`],
    ['stage=1e3', `/shk/owned_static?stage=1e3`],
    ['stage=1.5', `/shk/owned_static?stage=1.5`],
    ['a huge stage number', `/shk/owned_static?stage=${'9'.repeat(40)}`],
    ['stage 2147483648', `/shk/owned_static?stage=2147483648`],
    ['a stage past the last', `/shk/owned_static?stage=4`],
    ['no stage', `/shk/owned_static`],
    ['stage twice', `/shk/owned_static?stage=1&stage=2`],
    ['a new dynamic id that is not an id', `/dhk/bad%20id?stagePath=1&start=yes`],
    ['a dynamic ping to a static workflow', `/dhk/owned_static?stagePath=1&start=yes`],
    ['a static ping to a dynamic workflow', `/shk/owned_dynamic?stage=1`],
  ];

  test.each(pings)('when a stage ping has %s, then 400 validation_failed', async (_what, path) => {
    const answer = await as(owner, path);
    expect({ status: answer.status, error: (answer.body as { error: string }).error }).toEqual({ status: 400, error: 'validation_failed' });
  });

  test.each([
    ['an array', '[{"status":"ok"}]'],
    ['a string', '"done"'],
    ['a number', '42'],
    ['null', 'null'],
    ['not JSON', '{"status":'],
    ['a NUL in a value', '{"note":"a\\u0000b"}'],
    ['an unpaired surrogate', '{"note":"\\ud800"}'],
  ])('when a stage ping body is %s, then 400, never 5xx', async (_what, rawBody) => {
    for (const path of ['/shk/owned_static?stage=2', '/dhk/owned_dynamic?stagePath=2']) {
      const answer = await as(owner, path, { method: 'POST', rawBody, headers: { 'content-type': 'application/json' } });
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    }
  });

  test.each([
    ['NUL in name', { name: 'a\u0000b', stages: [{ name: 'A' }] }, 'name'],
    ['a control character in name', { name: 'a\u0007b', stages: [{ name: 'A' }] }, 'name'],
    ['a 10 kB name', { name: 'x'.repeat(10_240), stages: [{ name: 'A' }] }, 'name'],
    ['NUL in a stage name', { name: 'ok', stages: [{ name: 'A\u0000' }] }, 'stages.0.name'],
    ['a fractional time-out', { name: 'ok', stages: [{ name: 'A' }], stage_timeout_seconds: 1.5 }, 'stage_timeout_seconds'],
    ['a time-out as text', { name: 'ok', stages: [{ name: 'A' }], stage_timeout_seconds: '10' }, 'stage_timeout_seconds'],
    ['a huge time-out', { name: 'ok', stages: [{ name: 'A' }], stage_timeout_seconds: 1e20 }, 'stage_timeout_seconds'],
    ['stages as text', { name: 'ok', stages: 'A,B' }, 'stages'],
    ['an alert channel that is not an id', { name: 'ok', stages: [{ name: 'A' }], alert_channels: ['ch_1,ch_2'] }, 'alert_channels.0'],
    ['a type that does not exist', { name: 'ok', type: 'cyclic' }, 'type'],
  ])('when a workflow is created with %s, then 400 validation_failed names the field', async (_what, body, field) => {
    const answer = await as(owner, '/api/workflows', { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'validation_failed' });
    const fields = (answer.body as { fields?: { path: string }[] }).fields ?? [];
    // A NUL is refused by the body parser before the schema, which names where it is found.
    expect(fields.map((f) => f.path).some((path) => path === field || path.startsWith(`${field}.`) || field.startsWith(path))).toBe(true);
  });

  test('when ids, cursors and limits are nonsense, then 404 or 400, never 5xx', async () => {
    const paths = [
      `/api/workflows/${'a'.repeat(65)}`,
      '/api/workflows/..',
      '/api/workflows/%E2%98%83',
      '/api/instances/%E2%98%83',
      `/api/instances/${'i'.repeat(500)}`,
      `/shk/${'s'.repeat(65)}?stage=1`,
      '/dhk/%F0%9F%92%A5/tree',
      '/api/workflows?limit=0',
      '/api/workflows?limit=1000',
      '/api/workflows?cursor=%25%25',
      `/api/workflows/owned_static/failed-pings?cursor=${'x'.repeat(300)}`,
    ];
    for (const path of paths) {
      const answer = await as(owner, path);
      expect({ path, status: answer.status }).toEqual({ path, status: expect.any(Number) });
      expect([400, 404]).toContain(answer.status);
    }
  });

  test('when the run is still fine after all that, then the hostile pings changed nothing', async () => {
    const instances = await as(owner, `/api/workflows/${staticId}/instances`);
    expect(instances.body).toMatchObject({ running_instance: { id: instanceId, stage_statuses: { '1': { status: 'healthy' } } }, recent_instances: [] });
    expect((await as(owner, `/api/workflows/${staticId}/budget`)).body).toMatchObject({ budget_enabled: false });
    expect(Object.keys((instances.body as { running_instance: { stage_statuses: object } }).running_instance.stage_statuses)).toEqual(['1']);
    const failed = await as(owner, `/api/workflows/${staticId}/failed-pings`);
    expect(failed.body).toEqual({ data: [], next_cursor: null });
  });
});
