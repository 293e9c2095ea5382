import { randomUUID } from 'node:crypto';
import { DelivererRoutes, webhookDeliverSubscriptions, type EndpointRef } from '@pingback/contracts';
import type { InternalClient } from '@pingback/http';
import { waitFor } from '@pingback/testing';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { delivererClient } from './support/internal-client';
import { startReceiver, type Receiver, type Reply } from './support/receiver';

// Real: RabbitMQ (own vhost), Postgres (own database), the deliverer in this process answering its internal port
// (called through the internal client, so every reply is parsed with its contract), node:http receivers on
// loopback. Notification POSTs get one attempt each; callbacks keep their seven, 50 ms apart.

let harness: Harness;
let internal: InternalClient;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness({
    PINGBACK_RETRY_SCHEDULES: `${webhookDeliverSubscriptions.notification.queue}=;${webhookDeliverSubscriptions.callback.queue}=50,50,50,50,50,50`,
  });
  const deliverer = await harness.startDeliverer();
  internal = delivererClient(deliverer.healthPort, harness.keyring);
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await harness?.close();
});

async function receiver(answer: () => Reply): Promise<Receiver> {
  const started = await startReceiver(() => answer());
  receivers.push(started);
  return started;
}

const newEndpoint = (kind: EndpointRef['kind'] = 'destination'): EndpointRef => ({ kind, id: `${kind === 'destination' ? 'dst' : 'ep'}_${randomUUID()}` });
const healthOf = (endpoint: EndpointRef, accountId = 'acc_test') => internal(DelivererRoutes.endpointHealth, { params: endpoint, query: { account_id: accountId } });
const enable = (endpoint: EndpointRef, accountId = 'acc_test') => internal(DelivererRoutes.enableEndpoint, { params: endpoint, body: { account_id: accountId } });

/** `count` single-attempt POSTs to the endpoint, one after another, each waited for until it settled. */
async function postsSettled(target: Receiver, endpoint: EndpointRef, count: number, settled: 'webhook.failed' | 'webhook.delivered') {
  for (let n = 0; n < count; n += 1) {
    const sent = await harness.send({ url: target.url, purpose: 'notification', endpoint });
    await harness.events.waitFor(settled, sent.webhookId);
  }
}

describe('webhook-deliverer: endpoint health', () => {
  test('when 14 attempts fail, one succeeds, then 14 more fail, then the endpoint stays on with a count of 14', async () => {
    let status = 500;
    const target = await receiver(() => ({ status }));
    const endpoint = newEndpoint();

    await postsSettled(target, endpoint, 14, 'webhook.failed');
    expect(await healthOf(endpoint)).toMatchObject({ consecutive_failures: 14, disabled_at: null });
    status = 200;
    await postsSettled(target, endpoint, 1, 'webhook.delivered');
    expect(await healthOf(endpoint)).toMatchObject({ consecutive_failures: 0, disabled_at: null });
    status = 500;
    await postsSettled(target, endpoint, 14, 'webhook.failed');

    expect(await healthOf(endpoint)).toEqual({ ...endpoint, consecutive_failures: 14, disabled_at: null, disabled_reason: null });
    expect(target.requests).toHaveLength(29);
    expect(harness.events.endpointDisabled(endpoint.id)).toEqual([]);
  });

  test('when the receiver answers 410, then the endpoint is switched off at once (gone), and a later POST to it is not sent', async () => {
    const target = await receiver(() => ({ status: 410 }));
    const endpoint = newEndpoint('event_endpoint');
    const first = await harness.send({ url: target.url, endpoint });
    const [failed] = await harness.events.waitFor('webhook.failed', first.webhookId);
    expect(failed!.payload).toMatchObject({ attempts: 1, error: { code: 'endpoint_gone' } });

    const [disabled] = await waitFor(() => harness.events.endpointDisabled(endpoint.id).length > 0 && harness.events.endpointDisabled(endpoint.id), {
      description: 'endpoint.disabled',
    });
    expect(disabled!.payload).toMatchObject({ endpoint, reason: 'gone', consecutiveFailures: 1, url: target.url });
    expect(await healthOf(endpoint)).toMatchObject({ consecutive_failures: 1, disabled_reason: 'gone', disabled_at: disabled!.payload.disabledAt });

    const later = await harness.send({ url: target.url, endpoint });
    const [refused] = await harness.events.waitFor('webhook.failed', later.webhookId);
    expect(refused!.payload).toMatchObject({ attempts: 1, error: { code: 'endpoint_disabled' } });
    expect(target.requests).toHaveLength(1);
    const row = await webhookRow(harness.db, later.webhookId);
    expect(row?.attemptRows).toEqual([expect.objectContaining({ outcome: 'failed', responseStatus: null, errorCode: 'endpoint_disabled' })]);
  });

  test("when a send's own URL answers 410 or keeps failing, then only that POST fails: no endpoint is counted or switched off", async () => {
    const target = await receiver(() => ({ status: 410 }));
    const sent = await harness.send({ url: target.url, endpoint: null });
    await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(harness.events.all.filter((event) => event.type === 'endpoint.disabled' && (event.payload.url as string) === target.url)).toEqual([]);
    expect(await harness.db.endpointHealth.count({ where: { url: target.url } })).toBe(0);
  });

  test('when an endpoint was switched off and its owner enables it, then the count starts again and POSTs go out; enabling twice changes nothing', async () => {
    let status = 410;
    const target = await receiver(() => ({ status }));
    const endpoint = newEndpoint();
    const gone = await harness.send({ url: target.url, endpoint });
    await harness.events.waitFor('webhook.failed', gone.webhookId);
    expect(await healthOf(endpoint)).toMatchObject({ disabled_reason: 'gone' });

    status = 200;
    const enabled = { ...endpoint, consecutive_failures: 0, disabled_at: null, disabled_reason: null };
    expect(await enable(endpoint)).toEqual(enabled);
    expect(await enable(endpoint)).toEqual(enabled);
    const after = await harness.send({ url: target.url, endpoint });
    await harness.events.waitFor('webhook.delivered', after.webhookId);
    expect(await healthOf(endpoint)).toEqual(enabled);
  });

  test("when another account asks about an endpoint, then it is 404; an endpoint never seen has a count of 0 and is on", async () => {
    const target = await receiver(() => ({ status: 500 }));
    const endpoint = newEndpoint();
    const sent = await harness.send({ url: target.url, purpose: 'notification', endpoint, accountId: 'acc_owner' });
    await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(await healthOf(endpoint, 'acc_owner')).toMatchObject({ consecutive_failures: 1 });
    await expect(healthOf(endpoint, 'acc_other')).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(enable(endpoint, 'acc_other')).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await healthOf(endpoint, 'acc_owner')).toMatchObject({ consecutive_failures: 1 });
    const unseen = newEndpoint('room_webhook');
    expect(await healthOf(unseen, 'acc_other')).toEqual({ ...unseen, consecutive_failures: 0, disabled_at: null, disabled_reason: null });
  });

  test('when a failed POST is re-sent, then it arrives with its original webhook-id; while its endpoint is switched off the resend is 409 endpoint_disabled, and after enabling it works', async () => {
    let status = 410;
    const target = await receiver(() => ({ status }));
    const endpoint = newEndpoint();
    const webhookId = `dlv_${randomUUID().replace(/-/g, '').slice(0, 26)}`;
    await harness.send({ url: target.url, endpoint, webhookId });
    await harness.events.waitFor('webhook.failed', webhookId);
    const resend = () => internal(DelivererRoutes.resendWebhook, { params: { id: webhookId }, body: { account_id: 'acc_test' } });

    await expect(resend()).rejects.toMatchObject({ code: 'endpoint_disabled', status: 409 });
    expect(await webhookRow(harness.db, webhookId)).toMatchObject({ status: 'failed' });

    status = 200;
    await enable(endpoint);
    expect(await resend()).toEqual({ id: webhookId, status: 'pending' });
    await harness.events.waitFor('webhook.delivered', webhookId);
    expect(target.requests.map((request) => request.headers['webhook-id'])).toEqual([webhookId, webhookId]);
    expect(target.requests[1]!.body).toBe(target.requests[0]!.body);
  });
});
