import { generateSecret, internalCallCredential } from '@pingback/security';
import { waitFor } from '@pingback/testing';
import { Webhook } from 'standardwebhooks';
import type { RunningService } from '@pingback/runtime';
import { callbackBody, createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';
import { verifyWebhook } from '../../../tests/seed-clients/verify-webhook.cjs';

// Real: RabbitMQ (own vhost), Postgres (own database), the deliverer in this process, a node:http receiver.

let harness: Harness;
let deliverer: RunningService;
let receiver: Receiver;

beforeAll(async () => {
  harness = await createHarness();
  deliverer = await harness.startDeliverer();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await harness?.close();
});

async function deliveredRequest(webhookId: string) {
  return waitFor(() => receiver.requests.find((request) => request.headers['webhook-id'] === webhookId), {
    description: `a POST with webhook-id ${webhookId}`,
  });
}

describe('webhook-deliverer: signed delivery', () => {
  test('when a callback is delivered, then seed 003 verifier and standardwebhooks both accept it', async () => {
    const sent = await harness.send({ url: receiver.url, body: callbackBody() });
    const request = await deliveredRequest(sent.webhookId);
    const [secret] = sent.secrets as [string];

    expect(request.method).toBe('POST');
    expect(request.body).toBe(JSON.stringify(sent.envelope.payload.body));
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Pingback-Webhooks/1');
    expect(request.headers['x-pingback-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request.headers['x-pingback-timestamp']).toBe(request.headers['webhook-timestamp']);
    expect(verifyWebhook({ headers: request.headers, body: JSON.parse(request.body) }, secret)).toBe(true);
    expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toEqual(
      sent.envelope.payload.body,
    );
  });

  test('when the signing secret is being rotated, then the brand header carries the new one and webhook-signature both', async () => {
    const [current, previous] = [generateSecret('whsec_'), generateSecret('whsec_')];
    const sent = await harness.send({ url: receiver.url, secrets: [current, previous] });
    const request = await deliveredRequest(sent.webhookId);
    const parsed = { headers: request.headers, body: JSON.parse(request.body) as unknown };

    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(parsed, current)).toBe(true);
    expect(verifyWebhook(parsed, previous)).toBe(false);
    for (const secret of [current, previous]) {
      expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
  });

  test('when a callback is delivered, then webhook.delivered is published and the record says succeeded', async () => {
    const sent = await harness.send({ url: receiver.url });
    const [delivered] = await harness.events.waitFor('webhook.delivered', sent.webhookId);

    expect(delivered).toMatchObject({
      type: 'webhook.delivered',
      version: 1,
      traceId: sent.envelope.traceId,
      payload: { webhookId: sent.webhookId, purpose: 'callback', subject: sent.envelope.payload.subject, attempt: 1, status: 200 },
    });
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200 });
    expect(row?.attemptRows).toEqual([expect.objectContaining({ attempt: 1, outcome: 'succeeded', responseStatus: 200 })]);
    expect(harness.events.about('webhook.attempted', sent.webhookId)).toEqual([]);
  });

  test('when the internal read route is asked for a webhook, then it shows the delivery with its attempts', async () => {
    const sent = await harness.send({ url: receiver.url });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);
    const base = `http://127.0.0.1:${deliverer.healthPort}`;
    const internal = { headers: { 'x-pingback-internal': internalCallCredential(harness.keyring) } };

    const one = await fetch(`${base}/internal/webhooks/${sent.webhookId}`, internal);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: sent.webhookId,
      purpose: 'callback',
      url: receiver.url,
      status: 'succeeded',
      responseStatus: 200,
      error: null,
      nextAttemptAt: null,
      attempts: [{ attempt: 1, outcome: 'succeeded', responseStatus: 200, error: null }],
    });

    const { subject } = sent.envelope.payload;
    const bySubject = await fetch(`${base}/internal/webhooks?subjectKind=${subject.kind}&subjectId=${subject.id}`, internal);
    const listed = (await bySubject.json()) as { data: { id: string; subject: unknown }[] };
    expect(listed.data).toEqual([expect.objectContaining({ id: sent.webhookId, subject })]);

    const withoutKind = await fetch(`${base}/internal/webhooks?subjectId=${subject.id}`, internal);
    expect(withoutKind.status).toBe(400);
    expect(await withoutKind.json()).toMatchObject({ error: 'validation_failed' });

    const unknown = await fetch(`${base}/internal/webhooks/hook_never_sent`, internal);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });

  test('when a signing secret cannot be decrypted, then nothing is sent and the webhook fails for good at once', async () => {
    const sent = await harness.send({ url: receiver.url, signingSecrets: ['whsec_not-encrypted'] });
    await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(receiver.requests.filter((request) => request.headers['webhook-id'] === sent.webhookId)).toEqual([]);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.attemptRows[0]).toMatchObject({ outcome: 'failed', errorCode: 'unsignable' });
  });

  test('when asked for readiness and metrics, then broker and Postgres are ready and attempts are counted', async () => {
    const base = `http://127.0.0.1:${deliverer.healthPort}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { broker: 'ok', postgres: 'ok' } });

    const sent = await harness.send({ url: receiver.url });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/pingback_webhook_attempts_total\{[^}]*purpose="callback"[^}]*outcome="succeeded"[^}]*\} [1-9]/);
  });
});
