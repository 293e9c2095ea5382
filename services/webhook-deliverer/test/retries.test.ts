import { freePort, waitFor } from '@pingback/testing';
import { Webhook } from 'standardwebhooks';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver, type Reply } from './support/receiver';
import { verifyWebhook } from '../../../tests/seed-clients/verify-webhook.cjs';

// Real: RabbitMQ (own vhost) with every retry delay cut to 50 ms through PINGBACK_RETRY_SCHEDULES, Postgres (own
// database), the deliverer in this process, node:http receivers on loopback.

let harness: Harness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness({ PINGBACK_WEBHOOK_TIMEOUT_MS: '2000' });
  await harness.startDeliverer();
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await harness?.close();
});

async function receiver(answer: (index: number) => Reply): Promise<Receiver> {
  const started = await startReceiver((_request, index) => answer(index));
  receivers.push(started);
  return started;
}

interface AttemptedPayload {
  attempt: number;
  maxAttempts: number;
  error: { code: string };
  nextRetryAt: string;
}

describe('webhook-deliverer: retries', () => {
  test('when the receiver answers 500 twice then 200, then three signed attempts share one webhook-id and one delivery is reported', async () => {
    const target = await receiver((index) => ({ status: index < 2 ? 500 : 200 }));
    const sent = await harness.send({ url: target.url });
    const [delivered] = await harness.events.waitFor('webhook.delivered', sent.webhookId);

    expect(target.requests).toHaveLength(3);
    const [secret] = sent.secrets as [string];
    for (const request of target.requests) {
      expect(request.headers['webhook-id']).toBe(sent.webhookId);
      expect(request.body).toBe(target.requests[0]!.body);
      expect(verifyWebhook({ headers: request.headers, body: JSON.parse(request.body) }, secret)).toBe(true);
      expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
    const attempted = harness.events.about('webhook.attempted', sent.webhookId).map((event) => event.payload as unknown as AttemptedPayload);
    expect(attempted).toEqual([
      expect.objectContaining({ attempt: 1, maxAttempts: 7, error: expect.objectContaining({ code: 'http_error' }) }),
      expect.objectContaining({ attempt: 2, maxAttempts: 7, error: expect.objectContaining({ code: 'http_error' }) }),
    ]);
    expect(delivered?.payload).toMatchObject({ attempt: 3, status: 200 });
    expect(harness.events.about('webhook.delivered', sent.webhookId)).toHaveLength(1);

    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(row?.attemptRows.map((attempt) => [attempt.attempt, attempt.outcome, attempt.responseStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'succeeded', 200],
    ]);
  });

  test('when the receiver always fails, then webhook.failed follows the last attempt of the schedule and the record says failed', async () => {
    const target = await receiver(() => ({ status: 503, body: 'down for maintenance' }));
    const sent = await harness.send({ url: target.url });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 7, error: { code: 'http_error' } });
    expect(target.requests).toHaveLength(7);
    expect(harness.events.about('webhook.attempted', sent.webhookId)).toHaveLength(6);
    expect(harness.events.about('webhook.delivered', sent.webhookId)).toEqual([]);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row).toMatchObject({ status: 'failed', attempts: 7, errorCode: 'http_error', responseStatus: 503 });
    expect(row?.attemptRows).toHaveLength(7);
    expect(row?.attemptRows.every((attempt) => attempt.outcome === 'failed')).toBe(true);
    expect(row?.attemptRows[0]?.responseExcerpt).toBe('down for maintenance');
  });

  test('when a notification webhook always fails, then it stops after its own schedule of three attempts', async () => {
    const target = await receiver(() => ({ status: 500 }));
    const sent = await harness.send({ url: target.url, purpose: 'notification' });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ purpose: 'notification', attempts: 3 });
    expect(target.requests).toHaveLength(3);
  });

  test('when the receiver answers 410, then the webhook fails at once after one attempt', async () => {
    const target = await receiver(() => ({ status: 410 }));
    const sent = await harness.send({ url: target.url });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 1, error: { code: 'endpoint_gone' } });
    expect(target.requests).toHaveLength(1);
    expect(harness.events.about('webhook.attempted', sent.webhookId)).toEqual([]);
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
  });

  test('when the receiver redirects, then the redirect is not followed and counts as a failure', async () => {
    const elsewhere = await receiver(() => ({ status: 200 }));
    const target = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const sent = await harness.send({ url: target.url, purpose: 'notification' });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 3, error: { code: 'redirect_not_followed' } });
    expect(target.requests).toHaveLength(3);
    expect(elsewhere.connections()).toBe(0);
    expect(elsewhere.requests).toEqual([]);
  });

  test('when the receiver sends Retry-After, then the next attempt is scheduled no sooner', async () => {
    const target = await receiver((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const sent = await harness.send({ url: target.url });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);

    const [attempted] = harness.events.about('webhook.attempted', sent.webhookId);
    const delayMs = Date.parse((attempted?.payload as unknown as AttemptedPayload).nextRetryAt) - Date.parse(attempted!.occurredAt);
    expect(delayMs).toBeGreaterThanOrEqual(2000);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row?.attemptRows[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(Date.parse((attempted?.payload as unknown as AttemptedPayload).nextRetryAt));
  });

  test('when the receiver does not answer in time, then the attempt times out and the next one is sent', async () => {
    const target = await receiver((index) => (index === 0 ? 'hang' : { status: 204 }));
    const sent = await harness.send({ url: target.url });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);

    const [attempted] = harness.events.about('webhook.attempted', sent.webhookId);
    expect(attempted?.payload).toMatchObject({ attempt: 1, error: { code: 'request_timeout' } });
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'succeeded', responseStatus: 204, attempts: 2 });
  });

  test('when nothing listens at the URL, then every attempt fails with connection_error and the webhook fails', async () => {
    const url = `http://127.0.0.1:${await freePort()}/hooks`;
    const sent = await harness.send({ url, purpose: 'notification' });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 3, error: { code: 'connection_error' } });
    const row = await waitFor(() => webhookRow(harness.db, sent.webhookId));
    expect(row.attemptRows.map((attempt) => attempt.errorCode)).toEqual(['connection_error', 'connection_error', 'connection_error']);
  });
});
