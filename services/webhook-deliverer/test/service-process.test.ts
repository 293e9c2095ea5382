import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startService, waitFor, type RunningService } from '@pingback/testing';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver, type Reply } from './support/receiver';

// Real: the compiled service as its own process (build first: npx tsc -b), RabbitMQ (own vhost), Postgres (own
// database), node:http receivers on loopback. These tests kill the process, so they start their own.

const SERVICE = 'webhook-deliverer';
let harness: Harness;
let env: Record<string, string>;
const receivers: Receiver[] = [];
const services: RunningService[] = [];

beforeAll(async () => {
  // A 5 s request timeout: the claim of a killed process lapses 10 s after the kill (timeout + margin).
  harness = await createHarness({ LOG_LEVEL: 'info', PINGBACK_WEBHOOK_TIMEOUT_MS: '5000' });
  env = harness.env;
});

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop(2_000)));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await harness?.close();
});

async function start(): Promise<RunningService> {
  const service = await startService(SERVICE, env);
  services.push(service);
  return service;
}

async function receiver(answer: (index: number) => Reply): Promise<Receiver> {
  const started = await startReceiver((_request, index) => answer(index));
  receivers.push(started);
  return started;
}

describe('webhook-deliverer as a process', () => {
  test('when it is killed -9 mid-POST and restarted, then the POST is recorded as a success exactly once, every copy with the same webhook-id', async () => {
    const target = await receiver((index) => (index === 0 ? 'hang' : { status: 200 }));
    const first = await start();
    const sent = await harness.send({ url: target.url });
    await waitFor(() => target.requests.length >= 1, { description: 'the first POST' });

    first.kill('SIGKILL');
    await first.waitForExit();
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'pending' });

    const restarted = await start();
    await harness.events.waitFor('webhook.delivered', sent.webhookId, 1, 30_000);
    await restarted.stop();

    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row?.status).toBe('succeeded');
    expect(row?.attemptRows.filter((attempt) => attempt.outcome === 'succeeded')).toHaveLength(1);
    // The attempt the kill cut short stays on record, with no outcome.
    expect(row?.attemptRows[0]).toMatchObject({ outcome: null, finishedAt: null });
    expect(target.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(target.requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([sent.webhookId]));
  });

  test('when SIGTERM arrives mid-POST, then the POST finishes and is recorded before the process exits 0', async () => {
    const target = await receiver(() => ({ status: 200, delayMs: 500 }));
    const service = await start();
    const sent = await harness.send({ url: target.url });
    await waitFor(() => target.requests.length >= 1, { description: 'the POST' });

    service.kill('SIGTERM');
    expect(await service.waitForExit()).toEqual({ code: 0, signal: null });

    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'succeeded', attempts: 1 });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);
    expect(target.requests).toHaveLength(1);
  });

  test('when a variable is missing, then it exits 1 with one line naming it', () => {
    const main = path.join(__dirname, '..', 'dist', 'main.js');
    const { DATABASE_URL: _omitted, ...rest } = env;
    const result = spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH, ...rest }, encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stderr).toBe('webhook-deliverer: config: DATABASE_URL is required\n');
  });
});
