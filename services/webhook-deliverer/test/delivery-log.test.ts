import { randomUUID } from 'node:crypto';
import { DelivererRoutes, type EndpointRef } from '@pingback/contracts';
import type { InternalClient } from '@pingback/http';
import { createHarness, type Harness } from './support/harness';
import { delivererClient } from './support/internal-client';
import { startReceiver, type Receiver } from './support/receiver';

// Real: RabbitMQ (own vhost) with every retry delay cut to 50 ms, Postgres (own database), the deliverer in this
// process answering its internal port (called through the internal client, so every reply is parsed with its
// contract), a node:http receiver on loopback.

let harness: Harness;
let internal: InternalClient;
let receiver: Receiver;
/** Webhook-ids whose first attempt the receiver refuses with a long body; every other attempt gets 200. */
const refusedOnce = new Set<string>();
const LONG_BODY = `${'e'.repeat(1000)}${'x'.repeat(2000)}`;

beforeAll(async () => {
  harness = await createHarness();
  internal = delivererClient((await harness.startDeliverer()).healthPort, harness.keyring);
  receiver = await startReceiver((request) => {
    const id = String(request.headers['webhook-id']);
    if (!refusedOnce.delete(id)) return { status: 200, body: 'thanks' };
    return { status: 503, body: LONG_BODY, delayMs: 20 };
  });
});

afterAll(async () => {
  await receiver?.close();
  await harness?.close();
});

/** An id as the services make them, so it is also a valid list cursor. */
const postId = () => `dlv_${randomUUID().replace(/-/g, '').slice(0, 26)}`;
const list = (accountId: string, query: Record<string, string> = {}) => internal(DelivererRoutes.listWebhooks, { query: { account_id: accountId, ...query } });
const getOne = (accountId: string, id: string) => internal(DelivererRoutes.getWebhook, { params: { id }, query: { account_id: accountId } });

describe('webhook-deliverer: the delivery log', () => {
  test('when a POST failed once and then succeeded, then the log lists both attempts with status code, latency and the start of the body, and filters by endpoint', async () => {
    const endpoint: EndpointRef = { kind: 'destination', id: `dst_${randomUUID()}` };
    const other: EndpointRef = { kind: 'event_endpoint', id: `ep_${randomUUID()}` };
    const retried = postId();
    refusedOnce.add(retried);
    await harness.send({ url: receiver.url, webhookId: retried, endpoint, accountId: 'acc_log' });
    const elsewhere = await harness.send({ url: receiver.url, webhookId: postId(), endpoint: other, accountId: 'acc_log' });
    await harness.events.waitFor('webhook.delivered', retried);
    await harness.events.waitFor('webhook.delivered', elsewhere.webhookId);

    const filtered = await list('acc_log', { endpoint: endpoint.id });
    expect(filtered.data.map((post) => post.id)).toEqual([retried]);
    const [post] = filtered.data;
    expect(post).toMatchObject({ id: retried, status: 'succeeded', endpoint, error: null });
    expect(post!.attempts).toEqual([
      {
        attempt: 1,
        started_at: expect.stringMatching(/Z$/),
        finished_at: expect.stringMatching(/Z$/),
        outcome: 'failed',
        status_code: 503,
        latency_ms: expect.any(Number),
        response_body: LONG_BODY.slice(0, 1024),
        error: { code: 'http_error', message: 'the receiver answered 503' },
      },
      expect.objectContaining({ attempt: 2, outcome: 'succeeded', status_code: 200, response_body: 'thanks', error: null }),
    ]);
    expect(post!.attempts[0]!.latency_ms).toBeGreaterThanOrEqual(20);
    expect(post!.attempts[0]!.response_body).toHaveLength(1024);

    expect((await list('acc_log', { endpoint: other.id })).data.map((listed) => listed.id)).toEqual([elsewhere.webhookId]);
    expect(new Set((await list('acc_log')).data.map((listed) => listed.id))).toEqual(new Set([retried, elsewhere.webhookId]));
    expect((await list('acc_log', { endpoint: `dst_${randomUUID()}` })).data).toEqual([]);
  });

  test("when one POST is read by id, then its account gets it with its attempts, and another account or an unknown id gets 404", async () => {
    const sent = await harness.send({ url: receiver.url, webhookId: postId(), accountId: 'acc_reader' });
    await harness.events.waitFor('webhook.delivered', sent.webhookId);

    const read = await getOne('acc_reader', sent.webhookId);
    expect(read).toMatchObject({ id: sent.webhookId, status: 'succeeded', endpoint: null, attempts: [expect.objectContaining({ attempt: 1, status_code: 200 })] });
    expect(read).toEqual((await list('acc_reader')).data.find((listed) => listed.id === sent.webhookId));
    await expect(getOne('acc_stranger', sent.webhookId)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(getOne('acc_reader', postId())).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect((await list('acc_stranger')).data).toEqual([]);
  });
});
