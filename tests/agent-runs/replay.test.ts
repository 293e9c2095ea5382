import { createHmac } from 'node:crypto';
import { waitFor } from '@pingback/testing';
import { createChannel, request } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';
import { apiAs, dynamicPing, type Api } from './agent-run-support';

let stack: Stack;
let receiver: Receiver;
let apiKey: string;
let api: Api;

beforeAll(async () => {
  stack = await startStack({ PINGBACK_OUTBOX_INTERVAL_MS: '200' }, MONITORING_SERVICES);
  receiver = await startReceiver(() => ({ status: 204 }));
  apiKey = (await createChannel(stack)).apiKey;
  api = apiAs(stack, apiKey);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

type Step = { step: number; stage_path: string; status: string; payload: unknown; cost_usd: number | null; cumulative_cost_usd: number; copied: boolean };
type Timeline = { instance_id: string; status: string; total_steps: number; timeline: Step[]; origin?: string; source_instance_id?: string; session_id?: string };

const timelineOf = async (instanceId: string) => (await api<Timeline>(`/api/instances/${instanceId}/timeline`)).body;

/** A dynamic workflow telling its runner at the receiver, and one run of three stages with payloads and costs. */
async function threeStageRun(workflowId: string): Promise<string> {
  expect((await api('/api/workflows', { body: { id: workflowId, name: workflowId, type: 'dynamic', events_url: `${receiver.url}/runner/${workflowId}` } })).status).toBe(201);
  const first = await dynamicPing(api, workflowId, 'stagePath=1&start=yes', { input: 'a', cost_usd: 0.01 });
  await dynamicPing(api, workflowId, 'stagePath=2', { input: 'b', cost_usd: 0.02 });
  await dynamicPing(api, workflowId, 'stagePath=3&final=yes', { input: 'c', cost_usd: 0.03 });
  return first.body.instance_id;
}

const eventsFor = (workflowId: string) => receiver.requests.filter((r) => r.path === `/runner/${workflowId}`);

describe('fork', () => {
  let original: string;
  let fork: { forked_instance_id: string; session_id: string; fork_from_stage: string; stages_copied: number };

  beforeAll(async () => {
    original = await threeStageRun('fork_flow');
    const answer = await api<typeof fork>(`/api/instances/${original}/fork`, {
      method: 'POST',
      body: { fork_from_stage: '2', payload_modifications: { '1': { retry: true }, '2': { input: 'B', modified_input: 'new value' } } },
    });
    expect(answer.status).toBe(201);
    fork = answer.body;
  });

  test('when an instance is forked from stage 2, then the new instance holds exactly stages 1 and 2 with the modifications, and the original is unchanged', async () => {
    expect(fork).toEqual({ forked_instance_id: expect.stringMatching(/^wfi_/), session_id: expect.stringMatching(/^[0-9a-f-]{36}$/), fork_from_stage: '2', stages_copied: 2 });
    const forked = await timelineOf(fork.forked_instance_id);
    expect(forked).toMatchObject({ status: 'running', total_steps: 2, origin: 'fork', source_instance_id: original, session_id: fork.session_id });
    expect(forked.timeline.map((step) => [step.stage_path, step.payload, step.cost_usd, step.cumulative_cost_usd, step.copied])).toEqual([
      ['1', { input: 'a', retry: true }, 0.01, 0.01, true],
      ['2', { input: 'B', modified_input: 'new value' }, 0.02, 0.03, true],
    ]);
    const untouched = await timelineOf(original);
    expect(untouched).toMatchObject({ status: 'completed', total_steps: 3 });
    expect(untouched.timeline.map((step) => step.payload)).toEqual([{ input: 'a' }, { input: 'b' }, { input: 'c' }]);
    // The copies were paid for once: the fork's own spending starts at zero.
    expect((await api(`/api/instances/${fork.forked_instance_id}/cost`)).body).toMatchObject({ total_cost_usd: 0, breakdown: [] });
    expect((await api('/api/workflows/fork_flow/cost')).body).toMatchObject({ total_cost_usd: 0.06 });
  });

  test('when the runner pings with the fork\'s instance_id, then the stage joins the fork, not a new run; compare names the first differing step', async () => {
    const joined = await dynamicPing(api, 'fork_flow', `stagePath=3&final=yes&instance_id=${fork.forked_instance_id}`, { input: 'c', cost_usd: 0.05 });

    expect(joined).toMatchObject({ status: 200, body: { instance_id: fork.forked_instance_id, workflow_status: 'completed' } });
    const compared = await api(`/api/instances/compare`, { method: 'POST', body: { instance_a: original, instance_b: fork.forked_instance_id } });
    expect(compared.status).toBe(200);
    expect(compared.body).toMatchObject({
      session_id: expect.any(String),
      comparison: {
        instance_a: { id: original, aggregates: { steps: 3, cost_usd: 0.06 } },
        instance_b: { id: fork.forked_instance_id, aggregates: { steps: 3, cost_usd: 0.08 } },
        divergence_step: 0,
        differences: { cost_diff_usd: 0.02, token_diff: 0, step_diff: 0, divergence: { step: 0, fields: ['payload'], instance_a: { payload: { input: 'a' } }, instance_b: { payload: { input: 'a', retry: true } } } },
      },
    });
  });

  test('when two runs agree up to a step, then compare names that step, and identical runs have no divergence', async () => {
    const other = await dynamicPing(api, 'fork_flow', 'stagePath=1&start=yes', { input: 'a', cost_usd: 0.01 });
    await dynamicPing(api, 'fork_flow', 'stagePath=2', { input: 'b', cost_usd: 0.02 });
    await dynamicPing(api, 'fork_flow', 'stagePath=3&final=yes', { input: 'c', status: 'failure', cost_usd: 0.03 });

    const compared = await api<{ comparison: { divergence_step: number | null; differences: { divergence: { fields: string[] } } } }>(`/api/instances/compare`, {
      method: 'POST',
      body: { instance_a: original, instance_b: other.body.instance_id },
    });
    expect(compared.body.comparison.divergence_step).toBe(2);
    expect(compared.body.comparison.differences.divergence.fields).toEqual(['status', 'payload']);
    const same = await api(`/api/instances/compare`, { method: 'POST', body: { instance_a: original, instance_b: original } });
    expect(same.body).toMatchObject({ comparison: { divergence_step: null, differences: { cost_diff_usd: 0, divergence: null } } });
  });

  test('when the fork point is not a stage the instance ran, then 400 names fork_from_stage and nothing is made', async () => {
    const before = (await api<{ recent_instances: unknown[] }>('/api/workflows/fork_flow/instances')).body.recent_instances.length;
    for (const forkFromStage of ['7', '2.1', 'abc', '']) {
      const answer = await api(`/api/instances/${original}/fork`, { method: 'POST', body: { fork_from_stage: forkFromStage } });
      expect({ forkFromStage, status: answer.status, body: answer.body }).toMatchObject({ forkFromStage, status: 400, body: { error: 'validation_failed', fields: [expect.objectContaining({ path: 'fork_from_stage' })] } });
    }
    const badModifications = await api(`/api/instances/${original}/fork`, { method: 'POST', body: { fork_from_stage: '2', payload_modifications: { 'not a stage': { x: 1 } } } });
    expect(badModifications.status).toBe(400);
    expect((await api<{ recent_instances: unknown[] }>('/api/workflows/fork_flow/instances')).body.recent_instances.length).toBe(before);
  });
});

describe('timelines of large payloads', () => {
  test('when steps carry payloads of about 1 MiB, then a page stops before 4 MiB and the next one goes on from there', async () => {
    const big = 'x'.repeat(1_000_000);
    const first = await dynamicPing(api, 'large_payloads', 'stagePath=1&start=yes', { blob: big });
    for (const path of ['2', '3', '4', '5']) expect((await dynamicPing(api, 'large_payloads', `stagePath=${path}`, { blob: big })).status).toBe(200);

    const page = await api<Timeline & { next_from_step?: number }>(`/api/instances/${first.body.instance_id}/timeline?limit=100`);
    const next = await api<Timeline & { next_from_step?: number }>(`/api/instances/${first.body.instance_id}/timeline?from_step=${page.body.next_from_step}`);

    expect(page.body.timeline.map((step) => step.step)).toEqual([0, 1, 2, 3]);
    expect(page.body.next_from_step).toBe(4);
    expect(next.body.timeline.map((step) => step.step)).toEqual([4]);
    expect(next.body.next_from_step).toBeUndefined();
    const forked = await api<{ stages_copied: number; forked_instance_id: string }>(`/api/instances/${first.body.instance_id}/fork`, { method: 'POST', body: { fork_from_stage: '5' } });
    expect(forked.body.stages_copied).toBe(5);
    const compared = await api(`/api/instances/compare`, { method: 'POST', body: { instance_a: first.body.instance_id, instance_b: forked.body.forked_instance_id } });
    expect(compared.body).toMatchObject({ comparison: { divergence_step: null } });
  });

  test('when two payloads hold the same JSON in another key order, then compare finds no difference', async () => {
    const a = await dynamicPing(api, 'key_order', 'stagePath=1&start=yes', { first: 1, second: { x: true, y: [1, 2] } });
    const b = await dynamicPing(api, 'key_order', 'stagePath=1&start=yes', { second: { y: [1, 2], x: true }, first: 1.0 });
    const compared = await api(`/api/instances/compare`, { method: 'POST', body: { instance_a: a.body.instance_id, instance_b: b.body.instance_id } });
    expect(compared.body).toMatchObject({ comparison: { divergence_step: null } });
  });
});

describe('rerun', () => {
  test('when an instance is re-run, then a new empty instance answers the seed body, and the runner fills it by instance_id', async () => {
    const original = await threeStageRun('rerun_flow');
    const rerun = await api<{ new_instance_id: string; session_id: string; message: string }>(`/api/instances/${original}/rerun`, {
      method: 'POST',
      body: { payload_modifications: { '1': { retry_attempt: 2 } } },
    });

    expect(rerun).toMatchObject({ status: 201, body: { new_instance_id: expect.stringMatching(/^wfi_/), session_id: expect.any(String), message: 'Instance created and ready for re-execution' } });
    expect(await timelineOf(rerun.body.new_instance_id)).toMatchObject({ status: 'running', total_steps: 0, timeline: [], origin: 'rerun', source_instance_id: original });
    const ping = await dynamicPing(api, 'rerun_flow', 'stagePath=1&start=yes', { instance_id: rerun.body.new_instance_id, input: 'a', retry_attempt: 2 });
    expect(ping.body.instance_id).toBe(rerun.body.new_instance_id);
    expect((await timelineOf(rerun.body.new_instance_id)).timeline).toEqual([expect.objectContaining({ step: 0, stage_path: '1', payload: { input: 'a', retry_attempt: 2 }, copied: false })]);
  });
});

describe('replay events', () => {
  test('when a fork and a re-run are made, then the events_url gets instance.forked and instance.rerun_requested, signed with the account signing secret', async () => {
    const original = await threeStageRun('evented_flow');
    const fork = await api<{ forked_instance_id: string; session_id: string }>(`/api/instances/${original}/fork`, { method: 'POST', body: { fork_from_stage: 1 } });
    const rerun = await api<{ new_instance_id: string; session_id: string }>(`/api/instances/${original}/rerun`, { method: 'POST', body: {} });

    const events = await waitFor(() => (eventsFor('evented_flow').length >= 2 ? eventsFor('evented_flow') : undefined), { description: 'the two replay events' });
    const byType = new Map(events.map((event) => [(event.json as { event: string }).event, event]));
    expect(byType.get('instance.forked')!.json).toMatchObject({
      event: 'instance.forked',
      workflow_id: 'evented_flow',
      instance_id: fork.body.forked_instance_id,
      source_instance_id: original,
      session_id: fork.body.session_id,
      fork_from_stage: '1',
      stages_copied: 1,
    });
    expect(byType.get('instance.rerun_requested')!.json).toMatchObject({ event: 'instance.rerun_requested', instance_id: rerun.body.new_instance_id, source_instance_id: original, payload_modifications: {} });
    const secret = await request<{ signing_secret: string }>(`${stack.url}/api/account/signing-secret`, { headers: { authorization: `Bearer ${apiKey}` } });
    for (const event of events) {
      const timestamp = String(event.headers['x-pingback-timestamp']);
      expect(event.headers['x-pingback-signature']).toBe(`sha256=${createHmac('sha256', secret.body.signing_secret).update(`${timestamp}.${event.rawBody}`).digest('hex')}`);
    }
  });

  test('when an events_url is not a URL Pingback may call, then 422 unsafe_url', async () => {
    const answer = await api('/api/workflows', { body: { id: 'unsafe_events', name: 'x', type: 'dynamic', events_url: 'ftp://example.com/runner' } });
    expect(answer).toMatchObject({ status: 422, body: { error: 'unsafe_url' } });
  });
});
