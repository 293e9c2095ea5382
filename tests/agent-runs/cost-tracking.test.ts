import { createChannel } from '../support/api';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';
import { apiAs, dynamicPing, type Api } from './agent-run-support';

let stack: Stack;
let api: Api;

beforeAll(async () => {
  stack = await startStack({}, MONITORING_SERVICES);
  api = apiAs(stack, (await createChannel(stack)).apiKey);
}, 120_000);
afterAll(() => stack?.stop());

type TimelineStep = Record<string, unknown> & { step: number; stage_path: string; cost_usd: number | null; cumulative_cost_usd: number };
type Timeline = { instance_id: string; workflow_id: string; status: string; total_steps: number; timeline: TimelineStep[] };

describe('a five-stage agent run that reports its LLM calls', () => {
  const workflowId = 'research_agent';
  let instanceId: string;

  beforeAll(async () => {
    // Seed 002's cost example, its step 0 payload, a priced ping, amounts whose float sum is inexact, and an unknown model.
    const first = await dynamicPing(api, workflowId, 'stagePath=1&start=yes&agent=claude-1', {
      model_id: 'claude-3-opus',
      usage: { input_tokens: 1500, output_tokens: 500, total_tokens: 2000 },
      cost_usd: 0.045,
      tool_calls: [{ tool_name: 'web_search', latency_ms: 250, success: true }],
      handoff_reason: 'task_complete',
      context_size_bytes: 4096,
      task: 'analyze data',
    });
    expect(first).toMatchObject({ status: 200, body: { workflow_status: 'running' } });
    instanceId = first.body.instance_id;
    const rest = [
      { query: 'stagePath=2&agent=claude-1', body: { cost_usd: 0.1, model_id: 'claude-3-opus' } },
      // No cost_usd: gpt-4o-mini's shipped price, $0.15 and $0.60 per million tokens: 10,000 × 0.15 + 2,000 × 0.6 µ$ = $0.0027.
      { query: 'stagePath=3&agent=gpt', body: { model_id: 'gpt-4o-mini-2024-07-18', usage: { input_tokens: 10_000, output_tokens: 2_000 } } },
      { query: 'stagePath=4&agent=gpt', body: { cost_usd: 0.2, model_id: 'gpt-4o' } },
      { query: 'stagePath=5&final=yes&agent=gpt', body: { model_id: 'house-llm-7b', usage: { input_tokens: 100, output_tokens: 10 }, summary: 'done' } },
    ];
    for (const { query, body } of rest) expect((await dynamicPing(api, workflowId, query, body)).status).toBe(200);
  });

  test('when the timeline is read, then each step has the seed fields, its cost, and the exact running total', async () => {
    const timeline = await api<Timeline>(`/api/instances/${instanceId}/timeline`);

    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({ instance_id: instanceId, workflow_id: workflowId, status: 'completed', total_steps: 5 });
    expect(timeline.body.timeline[0]).toEqual({
      step: 0,
      stage_path: '1',
      status: 'success',
      executed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      response_time_ms: expect.any(Number),
      agent_code: 'claude-1',
      model_id: 'claude-3-opus',
      input_tokens: 1500,
      output_tokens: 500,
      total_tokens: 2000,
      cost_usd: 0.045,
      cumulative_cost_usd: 0.045,
      unpriced: false,
      context_size_bytes: 4096,
      handoff_reason: 'task_complete',
      tool_calls: [{ tool_name: 'web_search', latency_ms: 250, success: true }],
      copied: false,
      payload: { task: 'analyze data' },
    });
    const steps = timeline.body.timeline.map((step) => [step.stage_path, step.cost_usd, step.cumulative_cost_usd, step.unpriced]);
    expect(steps).toEqual([
      ['1', 0.045, 0.045, false],
      ['2', 0.1, 0.145, false],
      ['3', 0.0027, 0.1477, false],
      ['4', 0.2, 0.3477, false],
      ['5', null, 0.3477, true],
    ]);
    expect(timeline.body.timeline[2]).toMatchObject({ model_id: 'gpt-4o-mini-2024-07-18', input_tokens: 10_000, output_tokens: 2_000, total_tokens: 12_000, payload: null });
    expect(timeline.body.timeline[4]).toMatchObject({ payload: { summary: 'done' } });
  });

  test('when the instance cost is read, then it is the exact sum, step by step, with the unpriced step marked and not counted as zero', async () => {
    const cost = await api(`/api/instances/${instanceId}/cost`);

    expect(cost.status).toBe(200);
    expect(cost.body).toMatchObject({ instance_id: instanceId, total_cost_usd: 0.3477 });
    expect(cost.body.breakdown).toEqual([
      expect.objectContaining({ stage_path: '1', model_id: 'claude-3-opus', input_tokens: 1500, output_tokens: 500, cost_usd: 0.045, executed_at: expect.any(String) }),
      expect.objectContaining({ stage_path: '2', cost_usd: 0.1 }),
      expect.objectContaining({ stage_path: '3', cost_usd: 0.0027, unpriced: false }),
      expect.objectContaining({ stage_path: '4', cost_usd: 0.2 }),
      expect.objectContaining({ stage_path: '5', model_id: 'house-llm-7b', cost_usd: null, unpriced: true }),
    ]);
  });

  test("when the workflow's cost is read, then the seed's summary holds the exact totals, and the cost by agent", async () => {
    const cost = await api(`/api/workflows/${workflowId}/cost?days=7`);

    expect(cost.status).toBe(200);
    expect(cost.body).toMatchObject({
      total_cost_usd: 0.3477,
      today_cost_usd: 0.3477,
      average_cost_per_instance_usd: 0.3477,
      instance_count: 1,
      most_expensive_instance: { id: instanceId, cost_usd: 0.3477 },
      period_days: 7,
      unpriced_steps: 1,
    });
    expect(cost.body.by_agent).toEqual([
      { agent_code: 'gpt', cost_usd: 0.2027, steps: 3 },
      { agent_code: 'claude-1', cost_usd: 0.145, steps: 2 },
    ]);
    // The run's days (one, unless it crossed midnight UTC) hold all five steps, in date order.
    const days = cost.body.by_day as { date: string; cost_usd: number; steps: number }[];
    expect(days.map((day) => day.date)).toEqual([...new Set(days.map((day) => day.date))].sort());
    expect(days.every((day) => /^\d{4}-\d{2}-\d{2}$/.test(day.date))).toBe(true);
    expect(days.reduce((steps, day) => steps + day.steps, 0)).toBe(5);
    if (days.length === 1) expect(days[0]!.cost_usd).toBe(0.3477);
  });
});

describe('the model price table', () => {
  test("when an account prices its own model, then that model's pings are priced from then on, and deleting the price makes them unpriced again", async () => {
    const before = await dynamicPing(api, 'house_model_run', 'stagePath=1&start=yes', { model_id: 'house-llm-7b', usage: { input_tokens: 1_000_000, output_tokens: 500_000 } });
    const set = await api<{ prices: Record<string, unknown>[] }>('/api/model-prices', { method: 'PUT', body: { prices: [{ model_id: 'house-llm-7b', input_usd_per_million: 0.5, output_usd_per_million: 1.25 }] } });
    const after = await dynamicPing(api, 'house_model_run', 'stagePath=2', { model_id: 'house-llm-7b', usage: { input_tokens: 1_000_000, output_tokens: 500_000 } });
    const deleted = await api('/api/model-prices/house-llm-7b', { method: 'DELETE' });
    const again = await dynamicPing(api, 'house_model_run', 'stagePath=3', { model_id: 'house-llm-7b', usage: { input_tokens: 1, output_tokens: 1 } });

    expect(set.status).toBe(200);
    expect(set.body.prices).toContainEqual({ model_id: 'house-llm-7b', input_usd_per_million: 0.5, output_usd_per_million: 1.25, source: 'account' });
    expect(set.body.prices).toContainEqual({ model_id: 'claude-3-opus', input_usd_per_million: 15, output_usd_per_million: 75, source: 'shipped' });
    expect(deleted.status).toBe(204);
    expect((await api('/api/model-prices/house-llm-7b', { method: 'DELETE' })).status).toBe(404);
    const timeline = await api<Timeline>(`/api/instances/${before.body.instance_id}/timeline`);
    expect(after.body.instance_id).toBe(before.body.instance_id);
    expect(again.body.instance_id).toBe(before.body.instance_id);
    expect(timeline.body.timeline.map((step) => [step.cost_usd, step.unpriced])).toEqual([
      [null, true],
      [1.125, false],
      [null, true],
    ]);
  });

  test("when an account overrides a shipped price, then its pings use the account's, and other accounts keep the shipped one", async () => {
    const other = apiAs(stack, (await createChannel(stack)).apiKey);
    await api('/api/model-prices', { method: 'PUT', body: { prices: [{ model_id: 'gpt-4o', input_usd_per_million: 1, output_usd_per_million: 2 }] } });
    const mine = await dynamicPing(api, 'override_run', 'stagePath=1&start=yes', { model_id: 'gpt-4o', usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } });
    const theirs = await dynamicPing(other, 'shipped_run', 'stagePath=1&start=yes', { model_id: 'gpt-4o', usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } });

    expect((await api(`/api/instances/${mine.body.instance_id}/cost`)).body.total_cost_usd).toBe(3);
    expect((await other(`/api/instances/${theirs.body.instance_id}/cost`)).body.total_cost_usd).toBe(12.5);
  });

  test('when a price is not a number of dollars, or a model id is not one, then 400 validation_failed and the table is unchanged', async () => {
    const bad = [
      { prices: [{ model_id: 'x', input_usd_per_million: -1, output_usd_per_million: 1 }] },
      { prices: [{ model_id: 'has space', input_usd_per_million: 1, output_usd_per_million: 1 }] },
      { prices: [] },
      { prices: [{ model_id: 'twice', input_usd_per_million: 1, output_usd_per_million: 1 }, { model_id: 'twice', input_usd_per_million: 2, output_usd_per_million: 2 }] },
    ];
    for (const body of bad) expect(await api('/api/model-prices', { method: 'PUT', body })).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    const table = await api<{ prices: { model_id: string }[] }>('/api/model-prices');
    expect(table.body.prices.map((price) => price.model_id)).not.toContain('twice');
  });
});

describe('query parameters out of range', () => {
  test('when days, limit or from_step are not whole numbers in range, then 400 names them', async () => {
    const started = await dynamicPing(api, 'query_ranges', 'stagePath=1&start=yes', { cost_usd: 0.01 });
    const bad: [string, string][] = [
      ['/api/workflows/query_ranges/cost?days=0', 'days'],
      ['/api/workflows/query_ranges/cost?days=366', 'days'],
      ['/api/workflows/query_ranges/cost?days=1e2', 'days'],
      ['/api/workflows/query_ranges/cost-alerts?limit=201', 'limit'],
      ['/api/workflows/query_ranges/cost-alerts?include_resolved=maybe', 'include_resolved'],
      [`/api/instances/${started.body.instance_id}/timeline?limit=501`, 'limit'],
      [`/api/instances/${started.body.instance_id}/timeline?from_step=-1`, 'from_step'],
    ];
    for (const [path, field] of bad) {
      const answer = await api(path);
      expect({ path, status: answer.status, body: answer.body }).toMatchObject({ path, status: 400, body: { error: 'validation_failed', fields: [expect.objectContaining({ path: field })] } });
    }
    expect((await api('/api/workflows/query_ranges/cost?days=365')).status).toBe(200);
  });
});

describe('cost fields that are not what the seed describes', () => {
  test('when a ping sends a negative cost, fractional tokens or a tool call without a name, then 400 names the field and no step is recorded', async () => {
    const started = await dynamicPing(api, 'strict_fields', 'stagePath=1&start=yes', { cost_usd: 0.01 });
    const bad: [Record<string, unknown>, string][] = [
      [{ cost_usd: -0.01 }, 'cost_usd'],
      [{ cost_usd: 'a lot' }, 'cost_usd'],
      [{ usage: { input_tokens: 1.5 } }, 'usage.input_tokens'],
      [{ usage: { output_tokens: -3 } }, 'usage.output_tokens'],
      [{ tool_calls: [{ latency_ms: 3 }] }, 'tool_calls.0.tool_name'],
      [{ context_size_bytes: 1e12 }, 'context_size_bytes'],
      [{ instance_id: '../../x' }, 'instance_id'],
    ];
    for (const [body, field] of bad) {
      const answer = await dynamicPing(api, 'strict_fields', 'stagePath=2', body);
      expect({ field, status: answer.status, body: answer.body }).toMatchObject({ field, status: 400, body: { error: 'validation_failed', fields: [expect.objectContaining({ path: field })] } });
    }
    const timeline = await api<Timeline>(`/api/instances/${started.body.instance_id}/timeline`);
    expect(timeline.body.total_steps).toBe(1);
  });
});

describe('totals Pingback cannot hold', () => {
  test('when pings would take a run past $1,000,000,000, then the ping that would pass it is 400 naming usage, and the run keeps every accepted step', async () => {
    await api('/api/model-prices', { method: 'PUT', body: { prices: [{ model_id: 'dearest-model', input_usd_per_million: 10_000, output_usd_per_million: 10_000 }] } });
    // 10⁹ tokens each way at $10,000 per million: $20,000,000 a ping, so 50 pings make exactly $1,000,000,000.
    const usage = { input_tokens: 1_000_000_000, output_tokens: 1_000_000_000 };
    const first = await dynamicPing(api, 'runaway_totals', 'stagePath=1&start=yes', { model_id: 'dearest-model', usage });
    for (let i = 2; i <= 50; i++) expect((await dynamicPing(api, 'runaway_totals', `stagePath=${i}`, { model_id: 'dearest-model', usage })).status).toBe(200);

    const refused = await dynamicPing(api, 'runaway_totals', 'stagePath=51', { model_id: 'dearest-model', usage });

    expect(refused).toMatchObject({ status: 400, body: { error: 'validation_failed', fields: [expect.objectContaining({ path: 'usage' })] } });
    expect((await api(`/api/instances/${first.body.instance_id}/cost`)).body.total_cost_usd).toBe(1_000_000_000);
    expect((await api<Timeline>(`/api/instances/${first.body.instance_id}/timeline?limit=1`)).body.total_steps).toBe(50);
    expect(await dynamicPing(api, 'runaway_totals', 'stagePath=51', { cost_usd: 0 })).toMatchObject({ status: 200 });
  });
});
