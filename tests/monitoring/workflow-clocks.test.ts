import { waitFor } from '@pingback/testing';
import { createChannel, request, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const TRACKER = 'workflow-tracker';

let stack: Stack;
let receiver: Receiver;
let account: ChannelCredentials;

// Two tracker processes share the durable clock: each time-out must fail its run, and alert, exactly once.
beforeAll(async () => {
  stack = await startStack({ PINGBACK_DEADLINE_INTERVAL_MS: '200', PINGBACK_OUTBOX_INTERVAL_MS: '200' }, MONITORING_SERVICES, { copies: 2 });
  receiver = await startReceiver(() => ({ status: 204 }));
  account = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/alerts` }]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const api = <T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown } = {}) =>
  request<T>(`${stack.url}${path}`, { ...init, headers: { authorization: `Bearer ${account.apiKey}` } });

type Alert = { title: string; body: string; data: { alert: { id: string; event: string; at: string }; subject: { id: string } } };
const alertsAbout = (workflowId: string) => receiver.requests.map((r) => r.json as Alert).filter((alert) => alert?.data?.subject?.id === workflowId);
type InstanceView = { id: string; status: string; failure_reason?: string; stage_statuses: Record<string, { status: string; stage_name?: string }> };
type Instances = { running_instance: InstanceView | null; recent_instances: InstanceView[] };

async function createWorkflow(body: Record<string, unknown>): Promise<string> {
  const created = await api<{ id: string }>('/api/workflows', { body: { alert_channels: [account.channelId], ...body } });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Waits for the first alert about a workflow, then long enough for a second one to show if there were one. */
async function theOnlyAlert(workflowId: string, quietMs = 3_000): Promise<Alert> {
  await waitFor(() => alertsAbout(workflowId).length > 0, { description: `an alert about ${workflowId}`, timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  const alerts = alertsAbout(workflowId);
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
}

describe('stage time-outs with two tracker processes', () => {
  test('when a static run stalls after stage 2, then one instance.failed alert says "Stage 3 timeout", counted from the last ping', async () => {
    const workflowId = await createWorkflow({ name: 'ci-pipeline', validation_mode: 'strict', stages: [{ name: 'Build' }, { name: 'Test' }, { name: 'Deploy' }], stage_timeout_seconds: 2 });
    const first = await api<{ instance_id: string }>(`/shk/${workflowId}?stage=1&agent=ci`);
    expect(first.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const secondAt = Date.now();
    expect((await api(`/shk/${workflowId}?stage=2&agent=ci`)).status).toBe(200);

    const alert = await theOnlyAlert(workflowId);

    expect(alert.data.alert.event).toBe('instance.failed');
    expect(alert.title).toBe('ci-pipeline failed: Stage 3 timeout');
    expect(alert.body).toContain(first.body.instance_id);
    // Stage 2 moved the time-out: two seconds from it, not from stage 1.
    expect(Date.parse(alert.data.alert.at) - secondAt).toBeGreaterThanOrEqual(1_900);
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.running_instance).toBeNull();
    expect(instances.body.recent_instances[0]).toMatchObject({
      id: first.body.instance_id,
      status: 'failed',
      failure_reason: 'Stage 3 timeout',
      stage_statuses: { '1': { status: 'healthy' }, '2': { status: 'healthy' }, '3': { status: 'timeout', stage_name: 'Deploy' } },
    });
    // The tree shows the same: the stage the run waited for timed out.
    expect((await api(`/dhk/${workflowId}/tree`)).body).toEqual({
      '1': { status: 'healthy', stage_name: 'Build' },
      '2': { status: 'healthy', stage_name: 'Test' },
      '3': { status: 'timeout', stage_name: 'Deploy' },
    });
    // The run is over: its late stage finds nothing to join.
    expect(await api(`/shk/${workflowId}?stage=3&agent=ci`)).toMatchObject({ status: 409, body: { error: 'no_running_instance' } });
  });

  test('when a dynamic run stalls, then the failure names the last path seen, and the stages that ran stay healthy', async () => {
    const workflowId = await createWorkflow({ id: 'ml_training', name: 'ml-training', type: 'dynamic', stage_timeout_seconds: 1 });
    await api(`/dhk/${workflowId}?stagePath=1&start=yes`);
    await api(`/dhk/${workflowId}?stagePath=2.1&stagename=Train`);

    const alert = await theOnlyAlert(workflowId);

    expect(alert.title).toBe('ml-training failed: Stage 2.1 timeout');
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]).toMatchObject({ status: 'failed', failure_reason: 'Stage 2.1 timeout' });
    // 2.1 ran: the run timed out waiting for what comes after it, whose path nobody knows.
    expect(instances.body.recent_instances[0]!.stage_statuses).toEqual({ '1': { status: 'healthy' }, '2.1': { status: 'healthy', stage_name: 'Train' } });
  });

  test('when a run completes before its time-out, then no alert comes', async () => {
    const workflowId = await createWorkflow({ name: 'quick', stages: [{ name: 'One' }, { name: 'Two' }], stage_timeout_seconds: 1 });
    await api(`/shk/${workflowId}?stage=1`);
    expect(await api(`/shk/${workflowId}?stage=2`)).toMatchObject({ status: 200, body: { workflow_status: 'completed' } });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(alertsAbout(workflowId)).toHaveLength(0);
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]).toMatchObject({ status: 'completed' });
  });
});

describe('grace periods (flexible mode)', () => {
  test('when stages 1 and 3 of 3 are in and the grace period passes, then the run fails with stage 2 missed, with one alert', async () => {
    const workflowId = await createWorkflow({ name: 'fan-in', stages: [{ name: 'A' }, { name: 'B' }, { name: 'C' }], grace_period_seconds: 2 });
    await api(`/shk/${workflowId}?stage=3`);
    await api(`/shk/${workflowId}?stage=1`);

    const alert = await theOnlyAlert(workflowId);

    expect(alert.title).toBe('fan-in failed: Missing stage 2 after grace period');
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]).toMatchObject({
      status: 'failed',
      failure_reason: 'Missing stage 2 after grace period',
      stage_statuses: { '1': { status: 'healthy' }, '2': { status: 'missed', stage_name: 'B' }, '3': { status: 'healthy' } },
    });
  });
});

describe('kill -9', () => {
  test('when both tracker processes are killed with SIGKILL while a stage time-out is pending, then after the restart the alert still comes, once', async () => {
    const workflowId = await createWorkflow({ name: 'nightly-etl', stages: [{ name: 'Extract' }, { name: 'Load' }], stage_timeout_seconds: 3 });
    const first = await api<{ instance_id: string }>(`/shk/${workflowId}?stage=1`);
    expect(first.status).toBe(200);
    const trackers = stack.copies(TRACKER);
    for (const tracker of trackers) tracker.kill('SIGKILL');
    await Promise.all(trackers.map((tracker) => tracker.waitForExit()));
    // Past the due time while no tracker runs.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(alertsAbout(workflowId)).toHaveLength(0);
    await Promise.all(trackers.map((_, copy) => stack.start(TRACKER, {}, copy)));

    const alert = await theOnlyAlert(workflowId);

    expect(alert.title).toBe('nightly-etl failed: Stage 2 timeout');
    const instances = await api<Instances>(`/api/workflows/${workflowId}/instances`);
    expect(instances.body.recent_instances[0]).toMatchObject({ id: first.body.instance_id, status: 'failed', failure_reason: 'Stage 2 timeout' });
  });
});
