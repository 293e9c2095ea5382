import { startService, waitFor, type RunningService } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request } from '../support/api';
import { startStack, type Stack } from '../support/stack';

const ALL_SERVICES = ['ingest-gateway', 'notification-dispatcher', 'response-store', 'workflow-tracker', 'approval-service', 'webhook-deliverer'] as const;

describe('every service: health, readiness, metrics, traces and graceful shutdown', () => {
  let stack: Stack;
  const extra: RunningService[] = [];

  beforeAll(async () => {
    stack = await startStack({ LOG_LEVEL: 'debug' });
    for (const name of ['workflow-tracker', 'approval-service'] as const) extra.push(await startService(name, stack.env));
  });
  afterAll(async () => {
    await Promise.all(extra.map((s) => s.stop(5_000)));
    await stack?.stop();
  });

  const healthPortOf = (name: (typeof ALL_SERVICES)[number]) =>
    (stack.services.get(name as never) ?? extra.find((s) => s.name === name))!.healthPort;

  test.each(ALL_SERVICES)('when %s runs, then /healthz and /readyz answer 200 with its checks', async (name) => {
    const health = await request(`http://127.0.0.1:${healthPortOf(name)}/healthz`);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await request<{ status: string; checks: Record<string, string> }>(`http://127.0.0.1:${healthPortOf(name)}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ broker: 'ok', postgres: 'ok' });
  });

  test('when a send goes through, then /metrics shows HTTP latency, publishes and consumed messages', async () => {
    const channel = await createChannel(stack);
    await request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'metrics', actions: DEPLOY_ACTIONS } });
    const gateway = await request<string>(`http://127.0.0.1:${healthPortOf('ingest-gateway')}/metrics`);
    expect(gateway.body).toMatch(/pingback_http_request_duration_seconds_bucket\{.*route="\/v1\/send\/:token"/);
    expect(gateway.body).toMatch(/pingback_publish_duration_seconds_count\{[^}]*exchange="pingback\.commands"[^}]*\} [1-9]/);
    await waitFor(async () => {
      const store = await request<string>(`http://127.0.0.1:${healthPortOf('response-store')}/metrics`);
      return /pingback_messages_acked_total\{[^}]*queue="response-store:notification:record"[^}]*\} [1-9]/.test(store.body);
    });
    const store = await request<string>(`http://127.0.0.1:${healthPortOf('response-store')}/metrics`);
    for (const metric of ['pingback_messages_consumed_total', 'pingback_messages_retried_total', 'pingback_messages_parked_total']) {
      expect(store.body).toContain(metric);
    }
  });

  test('when a request carries x-trace-id, then the services that handle its messages log the same trace id', async () => {
    const channel = await createChannel(stack);
    const traceId = `trace-${Date.now()}-lifecycle`;
    const sent = await request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'traced' }, headers: { 'x-trace-id': traceId } });
    expect(sent.headers.get('x-trace-id')).toBe(traceId);
    for (const name of ['response-store', 'notification-dispatcher'] as const) {
      await waitFor(() => stack.services.get(name)!.logs().includes(`"traceId":"${traceId}"`), { description: `${name} logs the trace id` });
    }
  });

  test('when requests carry credentials, right or wrong, then no service logs them', async () => {
    const channel = await createChannel(stack);
    const wrongToken = 'pbt_not-a-real-token-but-secret-looking';
    await request(`${stack.url}/v1/send/${wrongToken}`, { body: { title: 'x' } });
    await request(`${stack.url}/v1/send/${channel.token}`, { body: { title: 'x', actions: [{ type: 'nope' }] } });
    await request(`${stack.url}/api/channels/${channel.channelId}`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
    await request(`${stack.url}/admin/accounts`, { body: { name: 'x' }, headers: { authorization: 'Bearer wrong-admin-key-1234567' } });
    const logs = [...stack.services.values()].map((s) => s.logs()).join('\n');
    expect(logs).toContain('"level":'); // debug logging is on, so there is something to search
    for (const secret of [wrongToken, channel.token, channel.apiKey, channel.signingSecret, stack.adminKey, stack.env.PINGBACK_SECRET_KEY!]) {
      expect(logs).not.toContain(secret);
    }
  });

  test('when a service gets SIGTERM, then it stops within its deadline, says so, and exits 0', async () => {
    const tracker = extra.find((s) => s.name === 'workflow-tracker')!;
    const started = Date.now();
    const exit = await tracker.stop(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(tracker.logs()).toContain('"msg":"stopped"');
  });
});
