import { z } from 'zod';
import { DEPLOY_ACTIONS, request, respondUrls, type JsonResponse } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
type Json = Record<string, unknown>;
interface Media {
  schema: Json;
}
interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, Media> }> }>>;
}

let stack: Stack;
let receiver: Receiver;
let document: OpenApi;
let apiKey: string;
let channel: { id: string; token: string; inbox_url: string };

/**
 * Calls a route and checks its answer against the schema /openapi.json gives for that route, method and status
 * (read back into zod from the document's JSON Schema: what a client generated from the document would expect).
 */
async function call<T = Json>(method: Method, route: string, path: string, init: { body?: unknown; headers?: Record<string, string>; url?: string } = {}): Promise<T> {
  const answer: JsonResponse<unknown> = await request(init.url ?? `${stack.url}${path}`, {
    method,
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers: init.headers ?? { authorization: `Bearer ${apiKey}` },
  });
  const media = document.paths[route]?.[method.toLowerCase()]?.responses[String(answer.status)]?.content?.['application/json'];
  if (!media) throw new Error(`${method} ${path} answered ${answer.status} ${JSON.stringify(answer.body)}, which the document gives no JSON schema for at ${route}`);
  const checked = z.fromJSONSchema(media.schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(answer.body);
  const problems = checked.success ? [] : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect({ route: `${method} ${route} ${answer.status}`, problems }).toEqual({ route: `${method} ${route} ${answer.status}`, problems: [] });
  return answer.body as T;
}

/** Polls a read until `ready` holds: what it waits for is recorded by another service just after. */
async function eventually<T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const admin = () => ({ authorization: `Bearer ${stack.adminKey}` });

beforeAll(async () => {
  [stack, receiver] = await Promise.all([sharedStack(), startReceiver((received) => ({ status: received.path.startsWith('/failing') ? 500 : 200 }))]);
  document = (await request<OpenApi>(`${stack.url}/openapi.json`)).body;
  const account = await request<{ api_key: string }>(`${stack.url}/admin/accounts`, { body: { name: 'Docs' }, headers: admin() });
  apiKey = account.body.api_key;
  channel = await call('POST', '/api/channels', '/api/channels', { body: { name: 'Deploys', destinations: [{ type: 'webhook', url: `${receiver.url}/hook` }] } });
}, 120_000);
afterAll(async () => {
  await receiver?.close();
});

describe('the answers of the routes, against the schemas of /openapi.json', () => {
  test('when the document, accounts, keys, channels, destinations, policies and event endpoints are read and changed, then each answer is what the document says', async () => {
    await call('GET', '/openapi.json', '/openapi.json');
    await call('POST', '/admin/accounts', '/admin/accounts', { body: { name: 'Another' }, headers: admin() });
    await call('POST', '/api/keys', '/api/keys', { body: { name: 'ci' } });
    await call('GET', '/api/keys', '/api/keys');
    await call('GET', '/api/account/signing-secret', '/api/account/signing-secret');
    await call('POST', '/api/account/rotate-secret', '/api/account/rotate-secret');

    const other = await call<{ id: string }>('POST', '/api/channels', '/api/channels', { body: { name: 'Rotated' } });
    await call('GET', '/api/channels', '/api/channels');
    await call('GET', '/api/channels/{id}', `/api/channels/${other.id}`);
    await call('POST', '/api/channels/{id}/rotate-token', `/api/channels/${other.id}/rotate-token`);
    await call('POST', '/api/channels/{id}/rotate-secret', `/api/channels/${other.id}/rotate-secret`);
    await call('POST', '/api/channels/{id}/test', `/api/channels/${other.id}/test`, { body: {} });

    const destinations = `/api/channels/${other.id}/destinations`;
    const added = await call<{ id: string }>('POST', '/api/channels/{id}/destinations', destinations, { body: { type: 'webhook', url: `${receiver.url}/one` } });
    await call('POST', '/api/channels/{id}/destinations', destinations, { body: { destinations: [{ type: 'webhook', url: `${receiver.url}/two` }] } });
    await call('GET', '/api/channels/{id}/destinations', destinations);
    await call('GET', '/api/channels/{id}/destinations/{destId}', `${destinations}/${added.id}`);
    await call('POST', '/api/channels/{id}/destinations/{destId}/enable', `${destinations}/${added.id}/enable`);

    const escalation = { escalation: { steps: [{ after: '2m', destinations: ['webhook'] }], repeat: 1 } };
    await call('PUT', '/api/channels/{id}/escalation', `/api/channels/${other.id}/escalation`, { body: escalation });
    await call('GET', '/api/channels/{id}/escalation', `/api/channels/${other.id}/escalation`);

    const endpoint = await call<{ id: string }>('POST', '/api/endpoints', '/api/endpoints', { body: { url: `${receiver.url}/events` } });
    await call('GET', '/api/endpoints', '/api/endpoints');
    await call('GET', '/api/endpoints/{id}', `/api/endpoints/${endpoint.id}`);
    await call('POST', '/api/endpoints/{id}/rotate-secret', `/api/endpoints/${endpoint.id}/rotate-secret`);
    await call('POST', '/api/endpoints/{id}/enable', `/api/endpoints/${endpoint.id}/enable`);
  });

  test('when a message is sent, delivered to a webhook and answered, then each answer is what the document says', async () => {
    // The answer's callback goes to a URL that fails, so there is a failed outgoing POST to send again.
    const sendBody = { title: 'Deploy v2?', actions: DEPLOY_ACTIONS, callback_url: `${receiver.url}/failing` };
    const sent = await call<{ id: string }>('POST', '/v1/send/{token}', `/v1/send/${channel.token}`, { body: sendBody, headers: {} });
    await call('GET', '/v1/callback/{token}/{messageId}', `/v1/callback/${channel.token}/${sent.id}`, { headers: {} });
    const [respondUrl] = await respondUrls(stack, apiKey, sent.id);
    await call('GET', '/api/messages/{id}', `/api/messages/${sent.id}`);
    await call('GET', '/api/messages', '/api/messages');
    await call('POST', '/r/{token}', '', { url: respondUrl!, body: { triggered_by: 'deploy' }, headers: {} });
    await call('GET', '/v1/callback/{token}/{messageId}', `/v1/callback/${channel.token}/${sent.id}`, { headers: {} });
    await call('GET', '/inbox/{token}', '', { url: channel.inbox_url, headers: { accept: 'application/json' } });

    await receiver.waitForRequests(1);
    const posts = await eventually(
      () => call<{ data: { id: string }[] }>('GET', '/api/deliveries', '/api/deliveries'),
      (page) => page.data.length > 0,
      'the webhook delivery in GET /api/deliveries',
    );
    await call('GET', '/api/deliveries/{id}', `/api/deliveries/${posts.data[0]!.id}`);
    const failed = await eventually(
      () => call<{ data: { id: string }[] }>('GET', '/api/deliveries', '/api/deliveries?status=failed'),
      (page) => page.data.length > 0,
      'the failed answer callback in GET /api/deliveries',
    );
    await call('POST', '/api/deliveries/{id}/resend', `/api/deliveries/${failed.data[0]!.id}/resend`);
  });

  test('when a room, its members, incoming and outgoing webhooks are used, then each answer is what the document says', async () => {
    const room = await call<{ invite_code: string }>('POST', '/api/rooms', '/api/rooms', { body: { name: 'Builds' } });
    const code = room.invite_code;
    await call('GET', '/api/rooms', '/api/rooms');
    await call('PATCH', '/api/rooms/{code}', `/api/rooms/${code}`, { body: { name: 'Builds and deploys' } });
    await call('GET', '/api/rooms/{code}', `/api/rooms/${code}`);
    await call('POST', '/api/rooms/{code}/members', `/api/rooms/${code}/members`, { body: { channel_id: channel.id } });
    await call('GET', '/api/rooms/{code}/members', `/api/rooms/${code}/members`);

    const webhook = await call<{ id: string; webhook_url: string }>('POST', '/api/rooms/{code}/webhooks', `/api/rooms/${code}/webhooks`, { body: { name: 'CI', label: 'Deployed' } });
    await call('GET', '/api/rooms/{code}/webhooks', `/api/rooms/${code}/webhooks`);
    await call('PUT', '/api/rooms/{code}/webhooks/{id}', `/api/rooms/${code}/webhooks/${webhook.id}`, { body: { title: 'Deployed' } });
    await call('GET', '/api/rooms/{code}/webhooks/{id}', `/api/rooms/${code}/webhooks/${webhook.id}`);
    await call('POST', '/api/webhooks/{inviteCode}/{secret}', '', { url: webhook.webhook_url, body: { message: 'v2 is live' }, headers: {} });
    await call('POST', '/api/rooms/{code}/webhooks/{id}/test', `/api/rooms/${code}/webhooks/${webhook.id}/test`);
    await call('POST', '/api/rooms/{code}/ping', `/api/rooms/${code}/ping`, { body: { title: 'Standup' } });

    await call('PUT', '/api/rooms/{code}/outgoing-webhook', `/api/rooms/${code}/outgoing-webhook`, { body: { url: `${receiver.url}/room` } });
    await call('GET', '/api/rooms/{code}/outgoing-webhook', `/api/rooms/${code}/outgoing-webhook`);
    await call('POST', '/api/rooms/{code}/outgoing-webhook/test', `/api/rooms/${code}/outgoing-webhook/test`);
  });

  test('when workflows are pinged, read, priced, budgeted, compared, forked and re-run, then each answer is what the document says', async () => {
    const workflow = await call<{ id: string }>('POST', '/api/workflows', '/api/workflows', { body: { name: 'Pipeline', stages: [{ name: 'Plan' }, { name: 'Build' }, { name: 'Ship' }] } });
    const wf = workflow.id;
    await call('GET', '/api/workflows', '/api/workflows');
    await call('PATCH', '/api/workflows/{workflowId}', `/api/workflows/${wf}`, { body: { grace_period_seconds: 600 } });
    await call('GET', '/api/workflows/{workflowId}', `/api/workflows/${wf}`);

    const costed = { model_id: 'gpt-4o-mini', usage: { input_tokens: 1200, output_tokens: 300 }, cost_usd: 0.0042, tool_calls: [{ tool_name: 'search', latency_ms: 80 }], plan: 'ship it' };
    const first = await call<{ instance_id: string }>('GET', '/shk/{workflowId}', `/shk/${wf}?stage=1&agent=planner`);
    await call('POST', '/shk/{workflowId}', `/shk/${wf}?stage=2&agent=builder`, { body: costed });
    const second = await call<{ instance_id: string }>('POST', '/shk/{workflowId}', `/shk/${wf}?stage=1&agent=planner`, { body: { ...costed, cost_usd: 0.01 } });

    await call('GET', '/api/workflows/{workflowId}/instances', `/api/workflows/${wf}/instances`);
    await call('GET', '/api/instances/{instanceId}', `/api/instances/${first.instance_id}`);
    await call('GET', '/api/instances/{instanceId}/timeline', `/api/instances/${first.instance_id}/timeline`);
    await call('GET', '/api/instances/{instanceId}/cost', `/api/instances/${first.instance_id}/cost`);
    await call('GET', '/api/workflows/{workflowId}/cost', `/api/workflows/${wf}/cost?days=7`);
    await call('PUT', '/api/workflows/{workflowId}/budget', `/api/workflows/${wf}/budget`, { body: { budget_limit_usd: 5, agent_daily_limits_usd: { builder: 1 } } });
    await call('GET', '/api/workflows/{workflowId}/budget', `/api/workflows/${wf}/budget`);
    await call('GET', '/api/workflows/{workflowId}/cost-alerts', `/api/workflows/${wf}/cost-alerts`);
    await call('POST', '/api/instances/compare', '/api/instances/compare', { body: { instance_a: first.instance_id, instance_b: second.instance_id } });
    const fork = await call<{ forked_instance_id: string }>('POST', '/api/instances/{instanceId}/fork', `/api/instances/${first.instance_id}/fork`, {
      body: { fork_from_stage: 1, payload_modifications: { '2': { plan: 'ship later' } } },
    });
    await call('GET', '/api/instances/{instanceId}/timeline', `/api/instances/${fork.forked_instance_id}/timeline`);
    await call('POST', '/api/instances/{instanceId}/rerun', `/api/instances/${first.instance_id}/rerun`, { body: {} });
    await call('GET', '/api/model-prices', '/api/model-prices');
    await call('PUT', '/api/model-prices', '/api/model-prices', { body: { prices: [{ model_id: 'house-model', input_usd_per_million: 1.5, output_usd_per_million: 6 }] } });

    // Strict mode refuses a stage that skips one (the second run is at stage 1), and keeps the ping as a failed one.
    await call('PATCH', '/api/workflows/{workflowId}', `/api/workflows/${wf}`, { body: { validation_mode: 'strict' } });
    expect((await request(`${stack.url}/shk/${wf}?stage=3&agent=shipper&key=${apiKey}`)).body).toMatchObject({ error: 'stage_missed' });
    const failed = await call<{ data: unknown[] }>('GET', '/api/workflows/{workflowId}/failed-pings', `/api/workflows/${wf}/failed-pings`);
    expect(failed.data).not.toEqual([]);

    await call('POST', '/dhk/{workflowId}', '/dhk/agents?stagePath=1&start=yes&stagename=Research', { body: costed });
    await call('GET', '/dhk/{workflowId}', '/dhk/agents?stagePath=1.1&stagename=Sources');
    await call('GET', '/dhk/{workflowId}/tree', '/dhk/agents/tree');
  });

  test('when heartbeats and process hooks are made, pinged, paused and alert, then each answer is what the document says', async () => {
    const monitor = await call<{ id: string }>('POST', '/api/heartbeats', '/api/heartbeats', { body: { name: 'Backup', interval_seconds: 3600, grace_seconds: 60, alert_channels: [channel.id] } });
    const hb = monitor.id;
    await call('GET', '/api/heartbeats', '/api/heartbeats');
    await call('PATCH', '/api/heartbeats/{monitorId}', `/api/heartbeats/${hb}`, { body: { grace_seconds: 120 } });
    await call('PUT', '/api/heartbeats/{monitorId}', `/api/heartbeats/${hb}`, { body: { name: 'Nightly backup', cron: '0 3 * * *', timezone: 'Europe/Paris', grace_seconds: 300, alert_channels: [channel.id] } });
    await call('GET', '/api/heartbeats/{monitorId}', `/api/heartbeats/${hb}`);
    await call('GET', '/hbk/{monitorId}', `/hbk/${hb}`);
    await call('POST', '/hhk/{monitorId}', `/hhk/${hb}`, { body: { status: 'ok', rows: 1200 } });
    await call('POST', '/api/heartbeats/{monitorId}/pause', `/api/heartbeats/${hb}/pause`);
    await call('POST', '/api/heartbeats/{monitorId}/resume', `/api/heartbeats/${hb}/resume`);
    await call('POST', '/hbk/{monitorId}', `/hbk/${hb}?status=fail`, { body: { exit_code: 2 } });
    await call('GET', '/api/heartbeats/{monitorId}/pings', `/api/heartbeats/${hb}/pings`);
    const alerts = await eventually(
      () => call<{ data: { id: string }[] }>('GET', '/api/alerts', `/api/alerts?subject_id=${hb}`),
      (page) => page.data.length > 0,
      "the failed heartbeat's alert",
    );
    await call('POST', '/api/alerts/{alertId}/acknowledge', `/api/alerts/${alerts.data[0]!.id}/acknowledge`);

    const hook = await call<{ id: string }>('POST', '/api/process-hooks', '/api/process-hooks', { body: { name: 'Import', max_duration_seconds: 900 } });
    await call('GET', '/api/process-hooks', '/api/process-hooks');
    await call('PATCH', '/api/process-hooks/{hookId}', `/api/process-hooks/${hook.id}`, { body: { max_duration_seconds: 1200 } });
    await call('GET', '/api/process-hooks/{hookId}', `/api/process-hooks/${hook.id}`);
    await call('GET', '/phk/{hookId}/start', `/phk/${hook.id}/start?agent=cron`);
    await call('POST', '/phk/{hookId}/finish', `/phk/${hook.id}/finish`, { body: { status: 0, metadata: { imported: 42 } } });
    await call('GET', '/api/process-hooks/{hookId}/runs', `/api/process-hooks/${hook.id}/runs`);
  });

  test('when reviewers are managed and an approval is requested, polled, listed and decided, then each answer is what the document says', async () => {
    const reviewer = await call<{ id: string }>('POST', '/api/reviewers', '/api/reviewers', { body: { name: 'Ana', channels: [channel.id], default: true } });
    await call('GET', '/api/reviewers', '/api/reviewers');
    await call('PATCH', '/api/reviewers/{reviewerId}', `/api/reviewers/${reviewer.id}`, { body: { name: 'Ana B.' } });
    await call('PUT', '/api/reviewers/{reviewerId}', `/api/reviewers/${reviewer.id}`, { body: { name: 'Ana B.', channels: [channel.id], default: true } });
    await call('GET', '/api/reviewers/{reviewerId}', `/api/reviewers/${reviewer.id}`);

    const approval = await call<{ approval_id: string }>('POST', '/api/approvals', '/api/approvals', { body: { context: 'Ship v2 to production?', timeout_seconds: 600, metadata: { build: 7 } } });
    await call('GET', '/api/approvals/{approvalId}', `/api/approvals/${approval.approval_id}`);
    await call('GET', '/api/approvals', '/api/approvals?status=pending');
    await call('POST', '/api/approvals/{approvalId}/decide', `/api/approvals/${approval.approval_id}/decide`, { body: { decision: 'approve', notes: 'go' } });
    await call('GET', '/api/approvals/{approvalId}', `/api/approvals/${approval.approval_id}`);
  });
});
