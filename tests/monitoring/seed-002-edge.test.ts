import { createChannel, request, retryingUnavailable } from '../support/api';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
const auth = () => ({ authorization: `Bearer ${apiKey}` });

beforeAll(async () => {
  // The gateway stops waiting for the tracker after 1 s: the test that freezes the tracker outlives it. On a loaded
  // machine a healthy tracker can take longer too, so every other request is sent again on 503, as a client does.
  stack = await startStack({ PINGBACK_TRACKER_TIMEOUT_MS: '1000' }, MONITORING_SERVICES);
  apiKey = (await createChannel(stack)).apiKey;
  for (const [path, body] of [
    ['/api/process-hooks', { id: 'etl', name: 'nightly-etl', max_duration_seconds: 3600 }],
    ['/api/heartbeats', { id: 'cron_backup', name: 'nightly-backup', interval_seconds: 3600, grace_seconds: 60 }],
  ] as const) {
    const created = await retryingUnavailable(() => request(`${stack.url}${path}`, { body, headers: auth() }));
    if (created.status !== 201) throw new Error(`${path}: ${created.status} ${JSON.stringify(created.body)}`);
  }
}, 120_000);
afterAll(() => stack?.stop());

const runs = async () => (await retryingUnavailable(() => request<{ data: unknown[] }>(`${stack.url}/api/process-hooks/etl/runs`, { headers: auth() }))).body.data;
const pings = async () =>
  (await retryingUnavailable(() => request<{ data: { metadata: unknown }[] }>(`${stack.url}/api/heartbeats/cron_backup/pings`, { headers: auth() }))).body.data;

describe("seed 002's pings at the edge", () => {
  test('when a link checker sends HEAD to a ping URL, then it gets 405 and nothing is recorded', async () => {
    const before = (await runs()).length;
    const head = await fetch(`${stack.url}/phk/etl/start?key=${apiKey}`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toContain('GET');
    expect(await runs()).toHaveLength(before);
  });

  test("when a cron job POSTs its output as text (curl --data-raw, or text/plain), then the ping is recorded with the text as its metadata", async () => {
    const output = 'backup done: 15 files\n2 warnings';
    const post = (contentType: string, body: string) =>
      retryingUnavailable(() => fetch(`${stack.url}/hbk/cron_backup?key=${apiKey}`, { method: 'POST', headers: { 'content-type': contentType }, body }));
    const asForm = await post('application/x-www-form-urlencoded', output);
    const asText = await post('text/plain', 'plain');
    expect([asForm.status, asText.status]).toEqual([200, 200]);
    expect((await pings()).slice(0, 2).map((ping) => ping.metadata)).toEqual([{ text: 'plain' }, { text: output }]);
  });

  test('when a body labelled JSON is not JSON, then it is still 400 invalid_json: that is a client bug', async () => {
    const broken = await request(`${stack.url}/hbk/cron_backup?key=${apiKey}`, { rawBody: '{"status": ', headers: { 'content-type': 'application/json' } });
    expect(broken).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
  });

  test('when a management body is larger than 64 KiB, then it is 413 payload_too_large', async () => {
    const big = await request(`${stack.url}/api/heartbeats/cron_backup`, { method: 'PATCH', body: { name: 'x'.repeat(70 * 1024) }, headers: auth() });
    expect(big).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  test('when the tracker is frozen past the gateway\'s time-out, then the caller gets 503 and, once it thaws, nothing of that request was recorded', async () => {
    const tracker = stack.services.get('workflow-tracker')!;
    const [runsBefore, pingsBefore] = [(await runs()).length, (await pings()).length];
    process.kill(tracker.pid, 'SIGSTOP');
    try {
      const start = await request(`${stack.url}/phk/etl/start?key=${apiKey}`);
      const ping = await request(`${stack.url}/hbk/cron_backup?key=${apiKey}`);
      for (const answer of [start, ping]) expect(answer).toMatchObject({ status: 503, body: { error: 'service_unavailable' } });
    } finally {
      process.kill(tracker.pid, 'SIGCONT');
    }
    // The thawed tracker reads both requests, finds their caller gone, and rolls their transactions back.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await runs()).toHaveLength(runsBefore);
    expect(await pings()).toHaveLength(pingsBefore);
    expect((await retryingUnavailable(() => request(`${stack.url}/phk/etl/start?key=${apiKey}`))).status).toBe(200);
    expect(await runs()).toHaveLength(runsBefore + 1);
  });
});
