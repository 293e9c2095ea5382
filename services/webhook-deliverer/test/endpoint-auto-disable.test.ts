import { randomUUID } from 'node:crypto';
import { DelivererRoutes, webhookDeliverSubscriptions, type EndpointRef } from '@pingback/contracts';
import { startService, waitFor, type RunningService } from '@pingback/testing';
import { createHarness, type Harness } from './support/harness';
import { delivererClient } from './support/internal-client';
import { startReceiver, type Receiver } from './support/receiver';

// Real: two webhook-deliverer processes (the compiled service: build first) on one database and one vhost, as
// competing consumers; RabbitMQ, Postgres, a node:http receiver on loopback that answers 500 to everything.
// Notification POSTs get one attempt each, callbacks one retry 5 s after their first attempt.

const DISABLE_AFTER = 15;
let harness: Harness;
let receiver: Receiver;
const deliverers: RunningService[] = [];

beforeAll(async () => {
  harness = await createHarness({
    LOG_LEVEL: 'info',
    PINGBACK_RETRY_SCHEDULES: `${webhookDeliverSubscriptions.notification.queue}=;${webhookDeliverSubscriptions.callback.queue}=5000`,
  });
  // A little slow, so the two processes' failures overlap.
  receiver = await startReceiver(() => ({ status: 500, body: 'broken', delayMs: 50 }));
  deliverers.push(...(await Promise.all([startService('webhook-deliverer', harness.env), startService('webhook-deliverer', harness.env)])));
}, 60_000);

afterAll(async () => {
  await Promise.all(deliverers.map((deliverer) => deliverer.stop(2_000)));
  await receiver?.close();
  await harness?.close();
});

describe('webhook-deliverer: an endpoint that keeps failing, across two processes', () => {
  test(`when ${DISABLE_AFTER} attempts in a row fail across two deliverer processes, then the endpoint is switched off exactly once, and a queued retry to it is not sent`, async () => {
    const endpoint: EndpointRef = { kind: 'destination', id: `dst_${randomUUID()}` };
    const queued = await harness.send({ url: receiver.url, purpose: 'callback', endpoint });
    // Its first attempt is failure 1; its retry waits 5 s in the broker.
    await harness.events.waitFor('webhook.attempted', queued.webhookId);

    const failing = await Promise.all(Array.from({ length: DISABLE_AFTER - 1 }, () => harness.send({ url: receiver.url, purpose: 'notification', endpoint })));
    for (const sent of failing) await harness.events.waitFor('webhook.failed', sent.webhookId);
    const [disabled] = await waitFor(() => harness.events.endpointDisabled(endpoint.id).length > 0 && harness.events.endpointDisabled(endpoint.id), {
      description: 'endpoint.disabled',
    });

    expect(harness.events.endpointDisabled(endpoint.id)).toHaveLength(1);
    expect(disabled!.id).toBe(`endpoint.disabled:destination:${endpoint.id}:${Date.parse(disabled!.occurredAt)}`);
    expect(disabled!.payload).toEqual({
      accountId: 'acc_test',
      endpoint,
      url: receiver.url,
      reason: 'consecutive_failures',
      consecutiveFailures: DISABLE_AFTER,
      disabledAt: disabled!.occurredAt,
    });
    // Both processes took part.
    for (const deliverer of deliverers) expect(deliverer.logs()).toContain('"msg":"webhook failed"');
    const internal = delivererClient(deliverers[0]!.healthPort, harness.keyring);
    expect(await internal(DelivererRoutes.endpointHealth, { params: endpoint, query: { account_id: 'acc_test' } })).toEqual({
      ...endpoint,
      consecutive_failures: DISABLE_AFTER,
      disabled_at: disabled!.payload.disabledAt,
      disabled_reason: 'consecutive_failures',
    });

    const [refused] = await harness.events.waitFor('webhook.failed', queued.webhookId, 1, 20_000);
    expect(refused!.payload).toMatchObject({ attempts: 2, error: { code: 'endpoint_disabled' } });
    expect(receiver.requests).toHaveLength(DISABLE_AFTER);
    expect(receiver.requests.filter((request) => request.headers['webhook-id'] === queued.webhookId)).toHaveLength(1);
    // The retry that met the switched-off endpoint published endpoint.disabled again: the same message.
    const copies = await waitFor(() => harness.events.endpointDisabled(endpoint.id).length === 2 && harness.events.endpointDisabled(endpoint.id), {
      description: 'the re-published endpoint.disabled',
    });
    expect(copies[1]).toEqual(expect.objectContaining({ id: disabled!.id, occurredAt: disabled!.occurredAt, payload: disabled!.payload }));
    const health = await harness.db.endpointHealth.findUnique({ where: { kind_id: endpoint } });
    expect(health).toMatchObject({ consecutiveFailures: DISABLE_AFTER, disabledReason: 'consecutive_failures' });
  });
});
