import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '@pingback/testing';
import { createChannel, request, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const run = promisify(execFile);

let stack: Stack;
let receiver: Receiver;
let account: ChannelCredentials;

beforeAll(async () => {
  stack = await startStack({ PINGBACK_OUTBOX_INTERVAL_MS: '200' }, MONITORING_SERVICES);
  receiver = await startReceiver(() => ({ status: 204 }));
  account = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/alerts` }]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const api = <T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  request<T>(`${stack.url}${path}`, { ...init, headers: { authorization: `Bearer ${init.key ?? account.apiKey}` } });

/** A seed line as printed, but for the base URL and the key, run by bash; returns what curl printed, parsed. */
async function curl(seedLine: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const line = seedLine.replaceAll('https://pingpulsehq.com', stack.url).replaceAll('YOUR_KEY', account.apiKey);
  const { stdout } = await run('bash', ['-c', line], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

type Alert = { title: string; body: string; data: { alert: { event: string }; subject: { type: string; id: string; name: string }; state_url: string } };
const alertsAbout = (workflowId: string) => receiver.requests.map((r) => r.json as Alert).filter((alert) => alert?.data?.subject?.id === workflowId);

type StageEntry = { status: string; stage_name?: string; agent_code?: string };
type InstanceView = { id: string; status: string; started_at: string; completed_at?: string; agent_code: string | null; failure_reason?: string; stage_statuses: Record<string, StageEntry> };
type Instances = { running_instance: InstanceView | null; recent_instances: InstanceView[] };

const RUN_ID = /^wfi_[0-9A-Z]{26}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

async function createWorkflow(body: Record<string, unknown>, key = account.apiKey) {
  const created = await api<{ id: string }>('/api/workflows', { body, key });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe("the seed's examples, as printed", () => {
  test("when the seed's static cURL example pings a workflow made by API, then it gets the seed's body", async () => {
    await createWorkflow({ id: 'swf123', name: 'Nightly build', stages: [{ name: 'Checkout' }, { name: 'Build' }, { name: 'Deploy' }] });

    const answer = await curl('curl "https://pingpulsehq.com/shk/swf123?stage=1&key=YOUR_KEY"');

    expect(Object.keys(answer)).toEqual(['status', 'workflow_id', 'instance_id', 'stage_order', 'workflow_status']);
    expect(answer).toEqual({ status: 'success', workflow_id: 'swf123', instance_id: expect.stringMatching(RUN_ID), stage_order: 1, workflow_status: 'running' });
  });

  test("when the seed's three dynamic cURL examples run, then the first creates the workflow and each gets the seed's body", async () => {
    const started = await curl('curl "https://pingpulsehq.com/dhk/ml_pipeline?stagePath=1&start=yes&key=YOUR_KEY"');
    const branch = await curl('curl "https://pingpulsehq.com/dhk/ml_pipeline?stagePath=2.1&stagename=Train%20GPU&key=YOUR_KEY"');
    const agent = await curl('curl "https://pingpulsehq.com/dhk/ml_pipeline?stagePath=3&key=YOUR_KEY&agent=model-trainer"');

    expect(Object.keys(started)).toEqual(['status', 'workflow_id', 'instance_id', 'stage_path', 'workflow_status']);
    expect(started).toEqual({ status: 'success', workflow_id: 'ml_pipeline', instance_id: expect.stringMatching(RUN_ID), stage_path: '1', workflow_status: 'running' });
    expect(branch).toEqual({ ...started, stage_path: '2.1' });
    expect(agent).toEqual({ ...started, stage_path: '3' });

    const workflow = await api('/api/workflows/ml_pipeline');
    expect(workflow.body).toMatchObject({ id: 'ml_pipeline', name: 'ml_pipeline', type: 'dynamic', validation_mode: 'flexible', ping_url: `${stack.url}/dhk/ml_pipeline` });
    const tree = await api('/dhk/ml_pipeline/tree');
    expect(tree.body).toEqual({ '1': { status: 'healthy' }, '2.1': { status: 'healthy', stage_name: 'Train GPU' }, '3': { status: 'healthy' } });
    const instances = await api<Instances>('/api/workflows/ml_pipeline/instances');
    expect(instances.body.running_instance).toMatchObject({ id: started.instance_id, status: 'running', agent_code: 'model-trainer' });
    expect(instances.body.running_instance!.stage_statuses['3']).toEqual({ status: 'healthy', agent_code: 'model-trainer' });
  });

  test("when the seed's GitHub Actions steps run as shell with the webhook URL as PINGPULSE_URL, then the run goes 1, 2, 3 and completes", async () => {
    await createWorkflow({ id: 'ci_pipeline', name: 'CI Pipeline', type: 'dynamic' });
    // The recipe's steps, with `${{ secrets.X }}` and `${{ github.sha }}` as the shell sees them once Actions filled them in.
    const steps = [
      `curl -X POST "\${PINGPULSE_URL}?stagePath=1&start=yes" \\
            -H "Content-Type: application/json" \\
            -d '{"stage": "install", "commit": "\${GITHUB_SHA}"}'`,
      `curl -X POST "\${PINGPULSE_URL}?stagePath=2" \\
            -H "Content-Type: application/json" \\
            -d '{"stage": "test", "status": "passed"}'`,
      `curl -X POST "\${PINGPULSE_URL}?stagePath=3&final=yes" \\
            -H "Content-Type: application/json" \\
            -d '{"stage": "build", "artifact": "dist/"}'`,
    ];
    const env = { PINGPULSE_URL: `${stack.url}/dhk/ci_pipeline?key=${account.apiKey}`, GITHUB_SHA: 'd6cd1e2bd19e03a81132a23b2025920577f84e37' };
    const answers = [];
    for (const step of steps) answers.push(await curl(step, env));

    // The body's "stage" is payload: the path comes from the query.
    expect(answers.map((a) => [a.stage_path, a.workflow_status])).toEqual([
      ['1', 'running'],
      ['2', 'running'],
      ['3', 'completed'],
    ]);
    expect(new Set(answers.map((a) => a.instance_id)).size).toBe(1);
    const instances = await api<Instances>('/api/workflows/ci_pipeline/instances');
    expect(instances.body.running_instance).toBeNull();
    expect(instances.body.recent_instances[0]).toMatchObject({ id: answers[0]!.instance_id, status: 'completed', completed_at: expect.stringMatching(ISO) });
    expect(Object.keys(instances.body.recent_instances[0]!.stage_statuses)).toEqual(['1', '2', '3']);
  });
});

describe('the tree and the instance history after a branched run', () => {
  const ping = (query: string) => api<{ instance_id: string; workflow_status: string }>(`/dhk/branched?${query}`);

  test('when a second run reaches 1 and 2.1 after a first went 1, 2.1, 2.2, 3, then the tree shows 2.2 and 3 pending, in stage order', async () => {
    const first = await ping('stagePath=1&start=yes&stagename=Ingest&agent=orchestrator');
    await ping('stagePath=2.1&stagename=Train%20GPU%20A&agent=gpu-a');
    await ping('stagePath=2.2&stagename=Train%20GPU%20B&agent=gpu-b');
    const done = await ping('stagePath=3&final=yes');
    expect(done).toMatchObject({ status: 200, body: { instance_id: first.body.instance_id, workflow_status: 'completed' } });
    const second = await ping('stagePath=1&start=yes&stagename=Ingest&agent=orchestrator');
    await ping('stagePath=2.1&stagename=Train%20GPU%20A&agent=gpu-a');

    const tree = await fetch(`${stack.url}/dhk/branched/tree?key=${account.apiKey}`);
    expect(tree.status).toBe(200);
    // Raw text: the order is part of the answer (a JavaScript object would put "3" before "2.1").
    expect(await tree.text()).toBe(
      '{"1":{"status":"healthy","stage_name":"Ingest"},"2.1":{"status":"healthy","stage_name":"Train GPU A"},' +
        '"2.2":{"status":"pending","stage_name":"Train GPU B"},"3":{"status":"pending"}}',
    );

    const history = await fetch(`${stack.url}/api/workflows/branched/instances`, { headers: { cookie: `access_token=${account.apiKey}` } });
    const text = await history.text();
    const instances = JSON.parse(text) as Instances;
    expect(instances.running_instance).toEqual({
      id: second.body.instance_id,
      status: 'running',
      started_at: expect.stringMatching(ISO),
      agent_code: 'orchestrator',
      stage_statuses: {
        '1': { status: 'healthy', stage_name: 'Ingest', agent_code: 'orchestrator' },
        '2.1': { status: 'healthy', stage_name: 'Train GPU A', agent_code: 'gpu-a' },
      },
    });
    expect(instances.recent_instances).toEqual([
      {
        id: first.body.instance_id,
        status: 'completed',
        started_at: expect.stringMatching(ISO),
        completed_at: expect.stringMatching(ISO),
        agent_code: 'orchestrator',
        stage_statuses: {
          '1': { status: 'healthy', stage_name: 'Ingest', agent_code: 'orchestrator' },
          '2.1': { status: 'healthy', stage_name: 'Train GPU A', agent_code: 'gpu-a' },
          '2.2': { status: 'healthy', stage_name: 'Train GPU B', agent_code: 'gpu-b' },
          '3': { status: 'healthy' },
        },
      },
    ]);
    expect(text.indexOf('"2.2":')).toBeLessThan(text.indexOf('"3":{"status":"healthy"}'));

    const one = await api(`/api/instances/${first.body.instance_id}`);
    expect(one).toMatchObject({ status: 200, body: { id: first.body.instance_id, workflow_id: 'branched', status: 'completed' } });
  });

  test('when paths 2.10 and 2.9 are pinged, then the tree lists 2.9 before 2.10', async () => {
    await api('/dhk/tens?stagePath=1&start=yes');
    await api('/dhk/tens?stagePath=2.10');
    await api('/dhk/tens?stagePath=2.9');
    const text = await (await fetch(`${stack.url}/dhk/tens/tree?key=${account.apiKey}`)).text();
    expect(text).toBe('{"1":{"status":"healthy"},"2.9":{"status":"healthy"},"2.10":{"status":"healthy"}}');
  });

  test('when a run was finished with final=yes, then a ping without start=yes is 409 no_running_instance, and start=yes begins the next run', async () => {
    await api('/dhk/finished?stagePath=1&start=yes');
    await api('/dhk/finished?stagePath=2&final=yes');
    const late = await api('/dhk/finished?stagePath=3');
    expect(late).toMatchObject({ status: 409, body: { error: 'no_running_instance', workflow_id: 'finished' } });
    const again = await api('/dhk/finished?stage=1&start=yes');
    expect(again).toMatchObject({ status: 200, body: { stage_path: '1', workflow_status: 'running' } });

    await createWorkflow({ id: 'never_ran', name: 'Never ran', type: 'dynamic' });
    expect(await api('/dhk/never_ran?stagePath=1')).toMatchObject({ status: 409, body: { error: 'no_running_instance' } });
  });
});

describe('strict mode', () => {
  let workflowId: string;
  beforeAll(async () => {
    workflowId = await createWorkflow({
      id: 'strict_ci',
      name: 'ci-pipeline',
      validation_mode: 'strict',
      stages: [{ name: 'Build' }, { name: 'Test' }, { name: 'Deploy' }],
      alert_channels: [account.channelId],
    });
  });
  const ping = (stage: number | string, agent = 'runner-1') => api(`/shk/${workflowId}?stage=${stage}&agent=${agent}`);

  test('when a stage ping has no agent, then 400 validation_failed names the agent field', async () => {
    expect(await api(`/shk/${workflowId}?stage=1`)).toMatchObject({ status: 400, body: { error: 'validation_failed', fields: [{ path: 'agent' }] } });
  });

  test('when stage 3 follows stage 1, then 400 stage_missed names stage 2, an alert reaches the channel and the ping is in the failed pings', async () => {
    const first = await ping(1);
    expect(first).toMatchObject({ status: 200, body: { stage_order: 1, workflow_status: 'running' } });

    const skipped = await ping(3);

    expect(skipped).toMatchObject({ status: 400, body: { error: 'stage_missed', missing_stages: [2], instance_id: first.body.instance_id, workflow_id: workflowId } });
    const [alert] = await waitFor(() => alertsAbout(workflowId).length > 0 && alertsAbout(workflowId), { description: 'the stage.missed alert', timeoutMs: 20_000 });
    expect(alert!.data.alert.event).toBe('stage.missed');
    expect(alert!.title).toBe('ci-pipeline: stage 2 missed');
    expect(alert!.data.state_url).toBe(`${stack.url}/api/workflows/${workflowId}/instances`);
    const failed = await api<{ data: Record<string, unknown>[] }>(`/api/workflows/${workflowId}/failed-pings`);
    expect(failed.body.data[0]).toMatchObject({
      workflow_id: workflowId,
      instance_id: first.body.instance_id,
      stage: '3',
      agent_code: 'runner-1',
      error: 'stage_missed',
      details: { missing_stages: [2] },
      received_at: expect.stringMatching(ISO),
    });
    // The history shows where the run stopped: stage 2, missed (the refused stage 3 is not in it).
    const history = await fetch(`${stack.url}/api/workflows/${workflowId}/instances`, { headers: { authorization: `Bearer ${account.apiKey}` } });
    const text = await history.text();
    const instances = JSON.parse(text) as Instances;
    expect(instances.recent_instances[0]).toMatchObject({ id: first.body.instance_id, status: 'failed', failure_reason: 'Stage 2 missed' });
    expect(instances.recent_instances[0]!.stage_statuses).toEqual({ '1': { status: 'healthy', stage_name: 'Build', agent_code: 'runner-1' }, '2': { status: 'missed', stage_name: 'Test' } });
    expect(text.indexOf('"1":{"status":"healthy"')).toBeLessThan(text.indexOf('"2":{"status":"missed"'));
    expect((await api(`/dhk/${workflowId}/tree`)).body).toEqual({
      '1': { status: 'healthy', stage_name: 'Build' },
      '2': { status: 'missed', stage_name: 'Test' },
      '3': { status: 'pending', stage_name: 'Deploy' },
    });
    // The run is over: a later stage has nothing to join.
    expect(await ping(2)).toMatchObject({ status: 409, body: { error: 'no_running_instance' } });
  });

  test('when stages go 1, 2, 2, then the repeat is 409 out_of_order, logged, and the run goes on', async () => {
    const first = await ping(1);
    expect((await ping(2)).status).toBe(200);
    const repeat = await ping(2);
    expect(repeat).toMatchObject({ status: 409, body: { error: 'out_of_order', instance_id: first.body.instance_id, stage_order: 2, last_stage: 2 } });
    const failed = await api<{ data: Record<string, unknown>[] }>(`/api/workflows/${workflowId}/failed-pings`);
    expect(failed.body.data[0]).toMatchObject({ error: 'out_of_order', stage: '2', instance_id: first.body.instance_id });
    expect(await ping(3)).toMatchObject({ status: 200, body: { instance_id: first.body.instance_id, stage_order: 3, workflow_status: 'completed' } });
  });
});

describe('flexible mode', () => {
  test('when stages arrive 3, 1, 2, then all are 200 and the last completes the run', async () => {
    const workflowId = await createWorkflow({ name: 'fan-in', stages: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] });
    expect(workflowId).toMatch(/^swf_[0-9A-Z]{26}$/);

    const answers = [];
    for (const stage of [3, 1, 2]) answers.push(await api<{ instance_id: string; workflow_status: string }>(`/shk/${workflowId}?stage=${stage}`));

    expect(answers.map((a) => [a.status, a.body.workflow_status])).toEqual([
      [200, 'running'],
      [200, 'running'],
      [200, 'completed'],
    ]);
    expect(new Set(answers.map((a) => a.body.instance_id)).size).toBe(1);
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body).toMatchObject({ running_instance: null, recent_instances: [{ status: 'completed' }] });
    expect(instances.body.recent_instances[0]!.stage_statuses).toEqual({ '1': { status: 'healthy', stage_name: 'A' }, '2': { status: 'healthy', stage_name: 'B' }, '3': { status: 'healthy', stage_name: 'C' } });
  });

  test('when a stage reports "status": "failure" in its body (the Airflow failure callback), then 200 with the run failed, and an instance.failed alert', async () => {
    const workflowId = await createWorkflow({ id: 'airflow_dag', name: 'etl_pipeline', type: 'dynamic', alert_channels: [account.channelId] });
    await api(`/dhk/${workflowId}?stagePath=1&start=yes`, { method: 'POST', body: { status: 'success', duration: 1.5 } });

    const failed = await api(`/dhk/${workflowId}?stagePath=2`, { method: 'POST', body: { status: 'failure', airflow: { dag_id: 'etl_pipeline', task_id: 'transform' } } });

    expect(failed).toMatchObject({ status: 200, body: { status: 'success', stage_path: '2', workflow_status: 'failed' } });
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]).toMatchObject({ status: 'failed', failure_reason: 'Stage 2 failed', stage_statuses: { '1': { status: 'healthy' }, '2': { status: 'failed' } } });
    const [alert] = await waitFor(() => alertsAbout(workflowId).length > 0 && alertsAbout(workflowId), { description: 'the instance.failed alert', timeoutMs: 20_000 });
    expect(alert).toMatchObject({ title: 'etl_pipeline failed: Stage 2 failed', data: { alert: { event: 'instance.failed' }, subject: { type: 'workflow', id: workflowId } } });
  });
});

describe('stage payloads', () => {
  test('when stage pings carry JSON bodies, then GET /api/instances/{id} shows each as its stage\'s payload, and the instance history does not', async () => {
    const workflowId = await createWorkflow({ id: 'payloads', name: 'Payloads', validation_mode: 'strict', stages: [{ name: 'Extract' }, { name: 'Load' }, { name: 'Report' }] });
    const body = { rows: 1200, source: { table: 'orders', shards: [1, 2] }, note: 'ünïcødé', empty: null };
    const first = await api<{ instance_id: string }>(`/shk/${workflowId}?stage=1&agent=etl`, { method: 'POST', body });
    expect(first.status).toBe(200);
    expect((await api(`/shk/${workflowId}?stage=2&agent=etl`)).status).toBe(200);
    expect(await api(`/shk/${workflowId}?stage=3&agent=etl`, { method: 'POST', body: { status: 'failure', error: 'disk full' } })).toMatchObject({
      status: 200,
      body: { workflow_status: 'failed' },
    });

    const one = await api<{ stage_statuses: Record<string, Record<string, unknown>> }>(`/api/instances/${first.body.instance_id}`);

    expect(one.status).toBe(200);
    expect(one.body.stage_statuses).toEqual({
      '1': { status: 'healthy', stage_name: 'Extract', agent_code: 'etl', payload: body },
      '2': { status: 'healthy', stage_name: 'Load', agent_code: 'etl', payload: null },
      '3': { status: 'failed', stage_name: 'Report', agent_code: 'etl', payload: { status: 'failure', error: 'disk full' } },
    });
    expect(Object.keys(one.body.stage_statuses['1']!)).toEqual(['status', 'stage_name', 'agent_code', 'payload']);
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]!.id).toBe(first.body.instance_id);
    expect(JSON.stringify(instances.body)).not.toContain('payload');
  });
});

describe('managing workflows', () => {
  test('when a workflow is created, read, listed, changed and deleted, then each answer shows it as it is', async () => {
    const created = await api('/api/workflows', {
      body: { id: 'deploy-prod', name: 'Deploy', validation_mode: 'strict', stages: [{ name: 'Plan' }, { name: 'Apply' }], stage_timeout_seconds: 600, alert_channels: [account.channelId] },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        id: 'deploy-prod',
        name: 'Deploy',
        type: 'static',
        validation_mode: 'strict',
        stages: [
          { stage: 1, name: 'Plan' },
          { stage: 2, name: 'Apply' },
        ],
        stage_timeout_seconds: 600,
        grace_period_seconds: null,
        alert_channels: [account.channelId],
        ping_url: `${stack.url}/shk/deploy-prod`,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
    });
    expect((await api('/api/workflows/deploy-prod')).body).toEqual(created.body);

    const changed = await api('/api/workflows/deploy-prod', { method: 'PATCH', body: { name: 'Deploy prod', stage_timeout_seconds: null, grace_period_seconds: 120 } });
    expect(changed).toMatchObject({ status: 200, body: { name: 'Deploy prod', stage_timeout_seconds: null, grace_period_seconds: 120, validation_mode: 'strict' } });
    expect(await api('/api/workflows/deploy-prod', { method: 'PUT', body: { type: 'dynamic' } })).toMatchObject({ status: 400, body: { error: 'validation_failed', fields: [{ path: 'type' }] } });

    const listed = await api<{ data: { id: string }[]; next_cursor: string | null }>('/api/workflows?limit=100');
    expect(listed.body.data.map((w) => w.id)).toContain('deploy-prod');

    expect((await api('/api/workflows/deploy-prod', { method: 'DELETE' })).status).toBe(204);
    expect(await api('/api/workflows/deploy-prod')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('when an id is taken, by this account or another, then 409 id_taken', async () => {
    const other = await createChannel(stack);
    await createWorkflow({ id: 'taken_id', name: 'First', stages: [{ name: 'Only' }] });
    for (const key of [account.apiKey, other.apiKey]) {
      expect(await api('/api/workflows', { body: { id: 'taken_id', name: 'Second', type: 'dynamic' }, key })).toMatchObject({ status: 409, body: { error: 'id_taken' } });
    }
  });

  test('when the body breaks a rule, then 400 validation_failed names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x' }, 'stages'],
      [{ name: 'x', type: 'dynamic', stages: [{ name: 'a' }] }, 'stages'],
      [{ name: 'x', stages: [] }, 'stages'],
      [{ name: 'x', stages: Array.from({ length: 101 }, (_, i) => ({ name: `s${i}` })) }, 'stages'],
      [{ name: 'x', stages: [{ name: 'a' }], stage_timeout_seconds: 0 }, 'stage_timeout_seconds'],
      [{ name: 'x', stages: [{ name: 'a' }], grace_period_seconds: 604_801 }, 'grace_period_seconds'],
      [{ name: 'x', stages: [{ name: 'a' }], validation_mode: 'lenient' }, 'validation_mode'],
      [{ name: 'x', stages: [{ name: 'a' }], id: 'has space' }, 'id'],
      [{ name: 'x', stages: [{ name: 'a' }], alert_channels: ['ch_01KBCDEFGHJKMNPQRSTVWXYZ00'] }, 'alert_channels.0'],
      [{ name: '', stages: [{ name: 'a' }] }, 'name'],
    ];
    for (const [body, field] of cases) {
      const answer = await api<{ error: string; fields: { path: string }[] }>('/api/workflows', { body });
      expect({ field, status: answer.status, error: answer.body.error }).toEqual({ field, status: 400, error: 'validation_failed' });
      expect(answer.body.fields.map((f) => f.path)).toContain(field);
    }
  });
});

describe('pings racing', () => {
  test('when twenty start=yes pings for a new workflow come at once, then all are 200 and exactly one run is left running', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => api<{ instance_id: string }>('/dhk/racing?stagePath=1&start=yes')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.body.instance_id)).size).toBe(20);
    const instances = await api<Instances>('/api/workflows/racing/instances');
    expect(instances.body.running_instance).not.toBeNull();
    expect(instances.body.recent_instances).toHaveLength(10);
    for (const superseded of instances.body.recent_instances) expect(superseded).toMatchObject({ status: 'failed', failure_reason: 'Superseded by a new run' });
  });

  test('when twenty flexible stage pings of one run come at once, then all are 200 and the run completes once', async () => {
    const stages = Array.from({ length: 20 }, (_, i) => ({ name: `shard ${i + 1}` }));
    const workflowId = await createWorkflow({ name: 'shards', stages });
    const answers = await Promise.all(stages.map((_, i) => api<{ instance_id: string; workflow_status: string }>(`/shk/${workflowId}?stage=${i + 1}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.body.instance_id)).size).toBe(1);
    expect(answers.filter((a) => a.body.workflow_status === 'completed')).toHaveLength(1);
  });
});
