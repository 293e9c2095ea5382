import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@pingback/testing';
import { answer, createChannel, messageIdTitled, request, respondUrls, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';
import { pingback } from './cli-support';

let stack: Stack;
let receiver: Receiver;
let account: ChannelCredentials;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await sharedStack();
  receiver = await startReceiver(() => ({ status: 204 }));
  account = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/phone` }]);
  env = { PINGBACK_URL: stack.url, PINGBACK_API_KEY: account.apiKey, PINGBACK_TOKEN: account.token, PINGBACK_CONFIG: join(mkdtempSync(join(tmpdir(), 'pingback-cli-')), 'config.json') };
}, 120_000);
afterAll(async () => {
  await receiver?.close();
});

const bearer = () => ({ authorization: `Bearer ${account.apiKey}` });

describe('pingback send', () => {
  test('when send --wait waits and the Deploy button is pressed in the inbox, then it exits 0 with deploy on stdout', async () => {
    const running = pingback(['send', '--title', 'Deploy v2.1?', '--button', 'deploy:Deploy', '--button', 'cancel:Cancel', '--wait'], env);
    const id = await messageIdTitled(stack, account.apiKey, 'Deploy v2.1?');
    const [link] = await respondUrls(stack, account.apiKey, id);
    expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);

    const done = await running;
    expect(done).toMatchObject({ code: 0, stdout: 'deploy\n' });
    // Not a terminal: the status line goes to stderr once per status, never to stdout.
    expect(done.stderr).toContain(`waiting for an answer to ${id}`);
  });

  test('when nobody answers before the message expires, then send --wait exits 1 and prints nothing on stdout', async () => {
    const done = await pingback(['send', '--title', 'Nobody will answer', '--button', 'ok:OK', '--expires-in', '2', '--wait'], env);

    expect(done).toMatchObject({ code: 1, stdout: '' });
    expect(done.stderr).toContain('no answer: expired');
  });

  test('when send has no --wait, then it prints the message id and exits 0', async () => {
    const done = await pingback(['send', '--title', 'Fire and forget'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^msg_\S+\n$/);
  });

  test('when a button is not key:Label or the title is missing, then it exits 2 with the reason on stderr', async () => {
    expect(await pingback(['send', '--title', 'x', '--button', ':Deploy'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('key:Label') });
    expect((await pingback(['send'], env)).code).toBe(2);
    expect(await pingback(['send', '--title', 'no way to answer', '--wait'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--wait needs at least one --button') });
    expect(await pingback(['send', '--title', 'x'], { ...env, PINGBACK_TOKEN: 'pbt_not_a_token' })).toMatchObject({ code: 2, stderr: expect.stringContaining('401') });
  });
});

describe('pingback approve', () => {
  test('when the reviewers approve, then it exits 0; when they deny, 1', async () => {
    const approving = pingback(['approve', 'Ship the CLI?', '--timeout', '60'], env);
    const approvalId = await pendingApproval('Ship the CLI?');
    await request(`${stack.url}/api/approvals/${approvalId}/decide`, { body: { decision: 'approve', notes: 'go' }, headers: bearer() });
    expect(await approving).toMatchObject({ code: 0, stdout: expect.stringMatching(/^approved by .+: go\n$/) });

    const denying = pingback(['approve', 'Drop the database?', '--timeout', '60'], env);
    await request(`${stack.url}/api/approvals/${await pendingApproval('Drop the database?')}/decide`, { body: { decision: 'deny' }, headers: bearer() });
    expect(await denying).toMatchObject({ code: 1, stdout: expect.stringMatching(/^denied/) });
  });

  test('when nobody decides, then the timeout action applies', async () => {
    expect(await pingback(['approve', 'Silence means yes', '--timeout', '2', '--timeout-action', 'approve'], env)).toMatchObject({ code: 0, stdout: 'approved by timeout\n' });
  });
});

const pendingApproval = (context: string) =>
  waitFor(
    async () => (await request<{ data: { approval_id: string; context: string }[] }>(`${stack.url}/api/approvals?status=pending`, { headers: bearer() })).body.data.find((approval) => approval.context === context)?.approval_id,
    { description: `the approval "${context}"` },
  );

describe('pingback run', () => {
  test("when a wrapped cron job fails, then run exits with its code, the heartbeat records it with the output's tail, and the monitor alerts", async () => {
    const monitor = await request<{ id: string }>(`${stack.url}/api/heartbeats`, { body: { name: 'nightly-export', interval_seconds: 3600, grace_seconds: 600, alert_channels: [account.channelId] }, headers: bearer() });

    const done = await pingback(['run', '--heartbeat', monitor.body.id, '--', 'sh', '-c', 'echo exporting; echo disk full >&2; exit 3'], env);

    expect(done.code).toBe(3);
    expect(done.stdout).toBe('exporting\n');
    expect(done.stderr).toContain('disk full');
    const pings = await request<{ data: { status: string; metadata: Record<string, unknown> }[] }>(`${stack.url}/api/heartbeats/${monitor.body.id}/pings`, { headers: bearer() });
    expect(pings.body.data[0]).toMatchObject({ status: 'fail', metadata: { exit_code: 3, output_tail: 'exporting\ndisk full\n', command: "sh -c echo exporting; echo disk full >&2; exit 3" } });
    const alert = await waitFor(
      () => receiver.requests.map((r) => r.json as { title?: string; data?: { subject?: { id?: string } } }).find((n) => n?.data?.subject?.id === monitor.body.id),
      { description: 'the failure alert on the phone' },
    );
    expect(alert.title).toBe('nightly-export reported a failure (exit code 3)');
  });

  test('when a job runs under a process hook, then its run is started and finished with the result, and a good exit is 0', async () => {
    const hook = await request<{ id: string }>(`${stack.url}/api/process-hooks`, { body: { name: 'backup', max_duration_seconds: 3600 }, headers: bearer() });

    expect((await pingback(['run', '--process', hook.body.id, '--', 'sh', '-c', 'sleep 0.3; echo done'], env)).code).toBe(0);
    expect((await pingback(['run', '--process', hook.body.id, '--', 'false'], env)).code).toBe(1);

    const runs = await request<{ data: { status: string; duration_ms: number; start_metadata: unknown; finish_metadata: unknown }[] }>(`${stack.url}/api/process-hooks/${hook.body.id}/runs`, { headers: bearer() });
    expect(runs.body.data.map((run) => run.status)).toEqual(['failed', 'succeeded']);
    expect(runs.body.data[1]!.duration_ms).toBeGreaterThanOrEqual(300);
    expect(runs.body.data[1]).toMatchObject({ start_metadata: { command: 'sh -c sleep 0.3; echo done' }, finish_metadata: { exit_code: 0, output_tail: 'done\n' } });
  });

  test('when the job prints binary output, then the report still goes in, with the NUL bytes replaced', async () => {
    const monitor = await request<{ id: string }>(`${stack.url}/api/heartbeats`, { body: { name: 'tar-to-stdout', interval_seconds: 3600, grace_seconds: 600 }, headers: bearer() });
    const done = await pingback(['run', '--heartbeat', monitor.body.id, '--', 'printf', 'backup ok\\0\\n'], env);

    expect(done).toMatchObject({ code: 0, stderr: '' });
    const pings = await request<{ data: { status: string; metadata: Record<string, unknown> }[] }>(`${stack.url}/api/heartbeats/${monitor.body.id}/pings`, { headers: bearer() });
    expect(pings.body.data[0]).toMatchObject({ status: 'ok', metadata: { output_tail: 'backup ok\uFFFD\n' } });
  });

  test('when there are no credentials at all, then the job still runs, its code is the exit code, and stderr says it was not reported', async () => {
    const done = await pingback(['run', '--heartbeat', 'hb_any', '--', 'sh', '-c', 'echo ran; exit 4'], { PINGBACK_CONFIG: '/nonexistent/config.json' });
    expect(done).toMatchObject({ code: 4, stdout: 'ran\n', stderr: expect.stringContaining('could not report the run: no API key') });
  });

  test('when Pingback cannot be reached, then the job still runs and run exits with its code', async () => {
    const done = await pingback(['run', '--heartbeat', 'hb_nowhere', '--', 'sh', '-c', 'exit 0'], { ...env, PINGBACK_URL: 'http://127.0.0.1:9' });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('could not report heartbeat hb_nowhere');
  });
});

describe('pingback login and tail', () => {
  test('when login saves the credentials, then later commands need no flag or variable, and the file is readable by its owner alone', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'pingback-login-')), 'config.json');
    const saved = await pingback(['login', '--url', stack.url, '--key', account.apiKey, '--token', account.token], { PINGBACK_CONFIG: config });

    expect(saved.code).toBe(0);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const sent = await pingback(['send', '--title', 'Sent with saved credentials'], { PINGBACK_CONFIG: config });
    expect(sent.code).toBe(0);
    const listed = await pingback(['tail', '--once', '-n', '5'], { PINGBACK_CONFIG: config });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${sent.stdout.trim()}  "Sent with saved credentials"  webhook`);
    expect(await pingback(['login', '--url', stack.url, '--key', 'pbk_wrong'], { PINGBACK_CONFIG: join(tmpdir(), 'never-written.json') })).toMatchObject({ code: 2, stderr: expect.stringContaining('401') });
    // A config file that is not JSON is ignored with a warning: flags still work, and login writes it again.
    writeFileSync(config, '{ not json');
    expect(await pingback(['send', '--title', 'Despite a broken config', '--token', account.token, '--url', stack.url], { PINGBACK_CONFIG: config })).toMatchObject({ code: 0, stderr: expect.stringContaining('ignoring') });
    expect((await pingback(['login', '--url', stack.url, '--key', account.apiKey], { PINGBACK_CONFIG: config })).code).toBe(0);
  });
});
