import { waitFor } from '@pingback/testing';
import { createChannel, retryingUnavailable, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';
import { apiAs, costAlerts, costedPing, dynamicPing, type Api } from './agent-run-support';

let stack: Stack;
let receiver: Receiver;
let account: ChannelCredentials;
let api: Api;

beforeAll(async () => {
  stack = await startStack({ PINGBACK_OUTBOX_INTERVAL_MS: '200', PINGBACK_DEADLINE_INTERVAL_MS: '200' }, MONITORING_SERVICES);
  receiver = await startReceiver(() => ({ status: 204 }));
  account = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/alerts` }]);
  api = apiAs(stack, account.apiKey);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

/** A dynamic workflow whose alerts go to the account's channel, with this budget. */
async function workflowWithBudget(id: string, budget: Record<string, unknown>, workflow: Record<string, unknown> = {}): Promise<void> {
  expect((await api('/api/workflows', { body: { id, name: id, type: 'dynamic', alert_channels: [account.channelId], ...workflow } })).status).toBe(201);
  const put = await api(`/api/workflows/${id}/budget`, { method: 'PUT', body: { budget_enabled: true, ...budget } });
  expect(put.status).toBe(200);
}

type Alert = { title: string; data: { alert: { event: string }; subject: { id: string } } };
const alertsTold = (workflowId: string) => receiver.requests.map((r) => r.json as Alert).filter((alert) => alert?.data?.subject?.id === workflowId);

describe('a budget of $0.10 per instance', () => {
  test('when the action is pause, then the ping that crosses it is the last accepted, the next gets 409 instance_paused, and resume lets pings in again', async () => {
    await workflowWithBudget('pause_budget', { budget_limit_usd: 0.1, budget_action: 'pause' });
    const start = await costedPing(api, 'pause_budget', '1&start=yes', 0.04);
    const second = await costedPing(api, 'pause_budget', '2', 0.04);
    const crossing = await costedPing(api, 'pause_budget', '3', 0.04);
    const refused = await costedPing(api, 'pause_budget', '4', 0.04);
    const instanceId = start.body.instance_id;

    expect([start.body.workflow_status, second.body.workflow_status, crossing.body.workflow_status]).toEqual(['running', 'running', 'paused']);
    expect(refused).toMatchObject({ status: 409, body: { error: 'instance_paused', instance_id: instanceId } });
    expect(await dynamicPing(api, 'pause_budget', 'stagePath=1&start=yes')).toMatchObject({ status: 409, body: { error: 'instance_paused' } });
    const alerts = await costAlerts(api, 'pause_budget');
    expect(alerts).toEqual([
      {
        id: 1,
        alert_type: 'budget_exceeded',
        instance_id: instanceId,
        current_cost_usd: 0.12,
        threshold_usd: 0.1,
        action_taken: 'pause',
        message: 'Instance cost $0.12 exceeds budget limit $0.10',
        created_at: expect.any(String),
        resolved_at: null,
      },
    ]);
    expect((await api(`/api/instances/${instanceId}`)).body).toMatchObject({ status: 'paused', cost_usd: 0.12 });

    const resumed = await api(`/api/instances/${instanceId}/resume`, { method: 'POST' });
    const after = await costedPing(api, 'pause_budget', '4', 0.04);
    const again = await api(`/api/instances/${instanceId}/resume`, { method: 'POST' });

    expect(resumed).toMatchObject({ status: 200, body: { message: 'Instance resumed', instance_id: instanceId, status: 'running' } });
    expect(after).toMatchObject({ status: 200, body: { instance_id: instanceId, workflow_status: 'running' } });
    expect(again).toMatchObject({ status: 409, body: { error: 'instance_not_paused' } });
    expect(await costAlerts(api, 'pause_budget')).toEqual([]);
    expect(await costAlerts(api, 'pause_budget', '?include_resolved=true')).toEqual([expect.objectContaining({ alert_type: 'budget_exceeded', resolved_at: expect.any(String) })]);
    const told = await waitFor(() => alertsTold('pause_budget').find((alert) => alert.data.alert.event === 'cost.budget_exceeded'), { description: 'the budget alert on the channel' });
    expect(told.title).toBe('pause_budget: Instance cost $0.12 exceeds budget limit $0.10');
  });

  test('when a paused instance outlives its stage time-out, then it stays paused; resumed, its time-out counts again from the resume', async () => {
    await workflowWithBudget('paused_clock', { budget_limit_usd: 0.1, budget_action: 'pause' }, { stage_timeout_seconds: 1 });
    const start = await costedPing(api, 'paused_clock', '1&start=yes', 0.2);
    expect(start.body.workflow_status).toBe('paused');

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await api(`/api/instances/${start.body.instance_id}`)).body).toMatchObject({ status: 'paused' });

    await api(`/api/instances/${start.body.instance_id}/resume`, { method: 'POST' });
    await waitFor(async () => (await api<{ status: string }>(`/api/instances/${start.body.instance_id}`)).body.status === 'failed', { description: 'the stage time-out after the resume', timeoutMs: 15_000 });
    expect((await api(`/api/instances/${start.body.instance_id}`)).body).toMatchObject({ status: 'failed', failure_reason: 'Stage 1 timeout' });
  });

  test('when the action is terminate, then the crossing ping ends the instance, and its later pings get 409 instance_terminated', async () => {
    await workflowWithBudget('terminate_budget', { budget_limit_usd: 0.1, budget_action: 'terminate' });
    const start = await costedPing(api, 'terminate_budget', '1&start=yes', 0.06);
    const crossing = await costedPing(api, 'terminate_budget', '2', 0.06);
    const refused = await costedPing(api, 'terminate_budget', '3', 0.01);
    const named = await costedPing(api, 'terminate_budget', '3', 0.01, { instance_id: start.body.instance_id });

    expect(crossing.body.workflow_status).toBe('terminated');
    expect(refused).toMatchObject({ status: 409, body: { error: 'instance_terminated', instance_id: start.body.instance_id } });
    expect(named).toMatchObject({ status: 409, body: { error: 'instance_terminated' } });
    expect((await api(`/api/instances/${start.body.instance_id}`)).body).toMatchObject({ status: 'terminated', failure_reason: 'Budget exceeded: $0.12 spent' });
    expect(await costAlerts(api, 'terminate_budget')).toEqual([expect.objectContaining({ alert_type: 'budget_exceeded', action_taken: 'terminate', current_cost_usd: 0.12 })]);
    expect((await api(`/api/instances/${start.body.instance_id}/resume`, { method: 'POST' })).body).toMatchObject({ error: 'instance_not_paused' });
    // A new run may start: the budget is per instance.
    expect(await costedPing(api, 'terminate_budget', '1&start=yes', 0.01)).toMatchObject({ status: 200, body: { workflow_status: 'running' } });
  });

  test('when the action is alert, then the instance goes on, with one cost alert for the crossing', async () => {
    await workflowWithBudget('alert_budget', { budget_limit_usd: 0.1, budget_action: 'alert', budget_alert_threshold_usd: 0.05 });
    const statuses: string[] = [];
    statuses.push((await costedPing(api, 'alert_budget', '1&start=yes', 0.04)).body.workflow_status);
    for (const path of ['2', '3', '4']) statuses.push((await costedPing(api, 'alert_budget', path, 0.04)).body.workflow_status);

    expect(statuses).toEqual(['running', 'running', 'running', 'running']);
    const alerts = await costAlerts(api, 'alert_budget');
    expect(alerts.map((alert) => [alert.alert_type, alert.action_taken, alert.current_cost_usd, alert.threshold_usd])).toEqual([
      ['budget_exceeded', 'alert', 0.12, 0.1],
      ['budget_threshold', 'alert', 0.08, 0.05],
    ]);
  });

  test("when the workflow's spending today crosses its daily limit, then the budget's action stops the instance whose ping crossed it", async () => {
    await workflowWithBudget('daily_budget', { budget_daily_limit_usd: 0.1, budget_action: 'pause' });
    await costedPing(api, 'daily_budget', '1&start=yes', 0.06);
    const next = await costedPing(api, 'daily_budget', '1&start=yes', 0.06);

    expect(next.body.workflow_status).toBe('paused');
    expect(await costAlerts(api, 'daily_budget')).toEqual([
      expect.objectContaining({ alert_type: 'daily_budget_exceeded', instance_id: next.body.instance_id, current_cost_usd: 0.12, threshold_usd: 0.1, action_taken: 'pause' }),
    ]);
  });

  test("when an agent's spending today crosses its own daily limit, then one alert names the agent and the run goes on", async () => {
    await workflowWithBudget('agent_budget', { agent_daily_limits_usd: { 'gpt-writer': 0.05 } });
    await dynamicPing(api, 'agent_budget', 'stagePath=1&start=yes&agent=gpt-writer', { cost_usd: 0.03 });
    await dynamicPing(api, 'agent_budget', 'stagePath=2&agent=claude-critic', { cost_usd: 0.5 });
    const crossing = await dynamicPing(api, 'agent_budget', 'stagePath=3&agent=gpt-writer', { cost_usd: 0.03 });
    await dynamicPing(api, 'agent_budget', 'stagePath=4&agent=gpt-writer', { cost_usd: 0.03 });

    expect(crossing.body.workflow_status).toBe('running');
    expect(await costAlerts(api, 'agent_budget')).toEqual([expect.objectContaining({ alert_type: 'agent_budget_exceeded', agent_code: 'gpt-writer', current_cost_usd: 0.06, threshold_usd: 0.05, action_taken: 'alert' })]);
    const cost = await api('/api/workflows/agent_budget/cost');
    expect(cost.body.by_agent).toEqual([
      { agent_code: 'claude-critic', cost_usd: 0.5, steps: 1 },
      { agent_code: 'gpt-writer', cost_usd: 0.09, steps: 3 },
    ]);
  });

  test('when the budget is disabled, then no crossing alerts or stops anything', async () => {
    await workflowWithBudget('disabled_budget', { budget_enabled: false, budget_limit_usd: 0.01, budget_action: 'terminate' });
    await costedPing(api, 'disabled_budget', '1&start=yes', 0.02);
    expect((await costedPing(api, 'disabled_budget', '2', 0.02)).body.workflow_status).toBe('running');
    expect(await costAlerts(api, 'disabled_budget', '?include_resolved=true')).toEqual([]);
  });
});

describe('cost anomaly detection, ×3', () => {
  /** A run of one ping that completes at once, costing `usd`. */
  const completedRun = (workflowId: string, usd: number) => dynamicPing(api, workflowId, 'stagePath=1&start=yes&final=yes', { cost_usd: usd });

  test('when an instance costs four times the mean of the last completed ones, then one cost_anomaly alert; at twice the mean, none', async () => {
    await workflowWithBudget('anomaly_budget', { cost_anomaly_detection: true, cost_anomaly_multiplier: 3 });
    for (let i = 0; i < 5; i++) await completedRun('anomaly_budget', 0.01);

    const twice = await costedPing(api, 'anomaly_budget', '1&start=yes', 0.01);
    await costedPing(api, 'anomaly_budget', '2', 0.01);
    const fourTimes = await costedPing(api, 'anomaly_budget', '1&start=yes', 0.01);
    for (const path of ['2', '3', '4']) await costedPing(api, 'anomaly_budget', path, 0.01);

    const alerts = await costAlerts(api, 'anomaly_budget');
    expect(alerts).toEqual([expect.objectContaining({ alert_type: 'cost_anomaly', instance_id: fourTimes.body.instance_id, current_cost_usd: 0.04, threshold_usd: 0.03, action_taken: 'alert' })]);
    expect(alerts.map((alert) => alert.instance_id)).not.toContain(twice.body.instance_id);
  });

  test('when fewer than five instances have completed, then there is no baseline and no anomaly', async () => {
    await workflowWithBudget('young_anomaly', { cost_anomaly_detection: true, cost_anomaly_multiplier: 3 });
    for (let i = 0; i < 4; i++) await completedRun('young_anomaly', 0.01);
    await costedPing(api, 'young_anomaly', '1&start=yes', 1);

    expect(await costAlerts(api, 'young_anomaly')).toEqual([]);
  });
});

describe('50 concurrent costed pings to one instance', () => {
  const costedPingRetried = (workflowId: string, path: string) => retryingUnavailable(() => costedPing(api, workflowId, path, 0.01));
  const fifty = (workflowId: string) => Promise.all(Array.from({ length: 50 }, (_, i) => costedPingRetried(workflowId, String(i + 2))));

  test('when the action is alert, then all are accepted, the cost is exactly $0.51, and the breaker fires once', async () => {
    await workflowWithBudget('concurrent_alert', { budget_limit_usd: 0.25, budget_action: 'alert' });
    const start = await costedPing(api, 'concurrent_alert', '1&start=yes', 0.01);
    const answers = await fifty('concurrent_alert');

    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    const cost = await api(`/api/instances/${start.body.instance_id}/cost`);
    expect(cost.body.total_cost_usd).toBe(0.51);
    expect(await costAlerts(api, 'concurrent_alert')).toEqual([expect.objectContaining({ alert_type: 'budget_exceeded', current_cost_usd: 0.25 })]);
  });

  test('when the action is pause, then exactly the pings up to the crossing are accepted, the rest get 409, and one alert is written', async () => {
    await workflowWithBudget('concurrent_pause', { budget_limit_usd: 0.25, budget_action: 'pause' });
    const start = await costedPing(api, 'concurrent_pause', '1&start=yes', 0.01);
    const answers = await fifty('concurrent_pause');

    const accepted = answers.filter((answer) => answer.status === 200);
    expect(accepted).toHaveLength(24);
    expect(answers.filter((answer) => answer.status === 409 && answer.body.error === 'instance_paused')).toHaveLength(26);
    expect(accepted.filter((answer) => answer.body.workflow_status === 'paused')).toHaveLength(1);
    const cost = await api(`/api/instances/${start.body.instance_id}/cost`);
    expect(cost.body.total_cost_usd).toBe(0.25);
    expect(await costAlerts(api, 'concurrent_pause')).toEqual([expect.objectContaining({ alert_type: 'budget_exceeded', action_taken: 'pause', current_cost_usd: 0.25 })]);
  });
});

describe('budget settings', () => {
  test('when a budget is read before any is set, then it is disabled; a PUT is read back as written', async () => {
    expect((await api('/api/workflows', { body: { id: 'budget_roundtrip', name: 'r', type: 'dynamic' } })).status).toBe(201);
    expect((await api('/api/workflows/budget_roundtrip/budget')).body).toMatchObject({ budget_enabled: false, budget_limit_usd: null, budget_action: 'alert' });
    const seedBody = { budget_enabled: true, budget_limit_usd: 100.0, budget_alert_threshold_usd: 50.0, budget_daily_limit_usd: 500.0, budget_action: 'terminate', cost_anomaly_detection: true, cost_anomaly_multiplier: 3.0 };
    const put = await api('/api/workflows/budget_roundtrip/budget', { method: 'PUT', body: seedBody });
    expect(put).toMatchObject({ status: 200, body: seedBody });
    expect((await api('/api/workflows/budget_roundtrip/budget')).body).toMatchObject(seedBody);
  });

  test('when a budget is not what the seed describes, then 400 names the field', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ budget_limit_usd: -1 }, 'budget_limit_usd'],
      [{ budget_limit_usd: 0 }, 'budget_limit_usd'],
      [{ budget_limit_usd: 0.0000001 }, 'budget_limit_usd'],
      [{ budget_action: 'explode' }, 'budget_action'],
      [{ cost_anomaly_multiplier: 0.5 }, 'cost_anomaly_multiplier'],
      [{ agent_daily_limits_usd: { '': 1 } }, 'agent_daily_limits_usd'],
      [{ budget_enabled: 'yes' }, 'budget_enabled'],
    ];
    for (const [body, field] of bad) {
      const answer = await api('/api/workflows/budget_roundtrip/budget', { method: 'PUT', body });
      expect({ field, status: answer.status, body: answer.body }).toMatchObject({ field, status: 400, body: { error: 'validation_failed', fields: [expect.objectContaining({ path: expect.stringContaining(field) })] } });
    }
  });
});
