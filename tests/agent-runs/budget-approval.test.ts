import { waitFor } from '@pingback/testing';
import { createChannel } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { ALL_SERVICES, startStack, type Stack } from '../support/stack';
import { apiAs, costAlerts, costedPing, type Api } from './agent-run-support';

let stack: Stack;
let receiver: Receiver;
let api: Api;

// Budget approvals cross services: the tracker pauses the run and asks approval-service, whose decision comes back.
beforeAll(async () => {
  stack = await startStack({ PINGBACK_OUTBOX_INTERVAL_MS: '200' }, ALL_SERVICES);
  receiver = await startReceiver(() => ({ status: 204 }));
  const account = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/reviewer` }]);
  api = apiAs(stack, account.apiKey);
  const reviewer = await api('/api/reviewers', { body: { name: 'Finance', channels: [account.channelId], default: true } });
  expect(reviewer.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

type Approval = { approval_id: string; status: string; context: string; metadata?: Record<string, unknown> };

/** The one pending approval about `instanceId` (approval-service opens it from the tracker's message). */
const approvalAbout = (instanceId: string) =>
  waitFor(
    async () => {
      const listed = await api<{ data: Approval[] }>('/api/approvals?status=pending');
      const about = listed.body.data.filter((approval) => approval.context.includes(instanceId));
      return about.length > 0 ? about : undefined;
    },
    { description: `an approval about ${instanceId}`, timeoutMs: 20_000 },
  );

const statusOf = async (instanceId: string) => (await api<{ status: string }>(`/api/instances/${instanceId}`)).body.status;

async function crossedRun(workflowId: string, approvalTimeoutSeconds = 60): Promise<string> {
  expect((await api('/api/workflows', { body: { id: workflowId, name: workflowId, type: 'dynamic' } })).status).toBe(201);
  const budget = { budget_limit_usd: 0.1, budget_action: 'approve', approval_timeout_seconds: approvalTimeoutSeconds };
  expect((await api(`/api/workflows/${workflowId}/budget`, { method: 'PUT', body: budget })).status).toBe(200);
  const start = await costedPing(api, workflowId, '1&start=yes', 0.06);
  const crossing = await costedPing(api, workflowId, '2', 0.06);
  expect(crossing.body.workflow_status).toBe('paused');
  return start.body.instance_id;
}

describe('budget_action: approve', () => {
  test("when a ping crosses the budget, then the instance pauses and one approval asks the account's reviewers; approving resumes it", async () => {
    const instanceId = await crossedRun('approve_flow');

    expect(await costedPing(api, 'approve_flow', '3', 0.01)).toMatchObject({ status: 409, body: { error: 'instance_paused' } });
    const [approval, ...others] = await approvalAbout(instanceId);
    expect(others).toEqual([]);
    expect(approval!.context).toContain('$0.12');
    expect(await costAlerts(api, 'approve_flow')).toEqual([expect.objectContaining({ alert_type: 'budget_exceeded', action_taken: 'approve', resolved_at: null })]);
    await waitFor(() => receiver.requests.find((r) => JSON.stringify(r.json ?? {}).includes(instanceId)), { description: "the reviewer's request" });

    const decided = await api(`/api/approvals/${approval!.approval_id}/decide`, { method: 'POST', body: { decision: 'approve' } });
    expect(decided.status).toBe(200);

    await waitFor(async () => (await statusOf(instanceId)) === 'running', { description: 'the instance running again', timeoutMs: 20_000 });
    expect(await costedPing(api, 'approve_flow', '3', 0.01)).toMatchObject({ status: 200, body: { instance_id: instanceId, workflow_status: 'running' } });
    expect(await costAlerts(api, 'approve_flow')).toEqual([]);
    // Still one approval: the decision did not ask again.
    const all = await api<{ data: Approval[] }>('/api/approvals');
    expect(all.body.data.filter((candidate) => candidate.context.includes(instanceId))).toHaveLength(1);
  });

  test('when the reviewers deny it, then the instance is terminated', async () => {
    const instanceId = await crossedRun('deny_flow');
    const [approval] = await approvalAbout(instanceId);

    expect((await api(`/api/approvals/${approval!.approval_id}/decide`, { method: 'POST', body: { decision: 'deny', notes: 'too expensive' } })).status).toBe(200);

    await waitFor(async () => (await statusOf(instanceId)) === 'terminated', { description: 'the instance terminated', timeoutMs: 20_000 });
    expect(await costedPing(api, 'deny_flow', '3', 0.01)).toMatchObject({ status: 409, body: { error: 'instance_terminated' } });
  });

  test('when nobody decides before the approval times out, then its deny applies and the instance is terminated', async () => {
    const instanceId = await crossedRun('silent_flow', 2);
    const [approval] = await approvalAbout(instanceId);

    await waitFor(async () => (await statusOf(instanceId)) === 'terminated', { description: 'the instance terminated by the time-out', timeoutMs: 20_000 });
    expect((await api(`/api/approvals/${approval!.approval_id}`)).body).toMatchObject({ status: 'expired', result: 0, decided_by: 'timeout' });
    expect((await api(`/api/instances/${instanceId}`)).body).toMatchObject({ failure_reason: expect.stringContaining('timed out') });
    expect(await costAlerts(api, 'silent_flow', '?include_resolved=true')).toEqual([expect.objectContaining({ action_taken: 'approve', resolved_at: expect.any(String) })]);
  });
});
