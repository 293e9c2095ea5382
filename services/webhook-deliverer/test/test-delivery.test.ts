import { randomUUID } from 'node:crypto';
import { DelivererRoutes, type EndpointRef, type TestDeliveryRequest } from '@pingback/contracts';
import type { InternalClient } from '@pingback/http';
import { generateSecret } from '@pingback/security';
import { Webhook } from 'standardwebhooks';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { delivererClient } from './support/internal-client';
import { startReceiver, type Receiver, type ReceivedRequest } from './support/receiver';
import { verify as verifyRoomWebhook } from '../../../tests/seed-clients/verify-room-webhook.cjs';

// Real: RabbitMQ (own vhost) with every retry delay cut to 50 ms, Postgres (own database), the deliverer in this
// process answering its internal port, a stand-in for the gateway that keeps the rooms' signing secrets, node:http
// receivers on loopback.

let harness: Harness;
let internal: InternalClient;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness();
  internal = delivererClient((await harness.startDeliverer()).healthPort, harness.keyring);
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await harness?.close();
});

async function receiver(status: number, body: string): Promise<Receiver> {
  const started = await startReceiver(() => ({ status, body }));
  receivers.push(started);
  return started;
}

/** A room with its signing secret registered with the gateway stand-in, and a test POST of seed 004's ping to `url`. */
function roomTest(url: string) {
  const roomId = `room_${randomUUID()}`;
  const secret = generateSecret('whsec_');
  harness.setSigner(roomId, [secret], 'room');
  const endpoint: EndpointRef = { kind: 'room_webhook', id: roomId };
  const request: TestDeliveryRequest = {
    webhookId: `evt_${randomUUID().replace(/-/g, '').slice(0, 26)}`,
    purpose: 'room',
    url,
    body: { event: 'ping', room: { name: 'Ops', code: 'ABC123' }, title: 'Test', body: 'This is a test', sender: 'owner', action_number: 1, trigger_source: 'test', timestamp: '2026-12-01T10:00:00+00:00' },
    signer: { kind: 'room', id: roomId },
    subject: { accountId: 'acc_rooms', kind: 'room', id: roomId, refs: {} },
    endpoint,
  };
  return { secret, endpoint, request };
}

const asSeedRequest = (received: ReceivedRequest) => ({ header: (name: string) => received.headers[name.toLowerCase()] as string | undefined, rawBody: received.body });
const healthOf = (endpoint: EndpointRef) => internal(DelivererRoutes.endpointHealth, { params: endpoint, query: { account_id: 'acc_rooms' } });

describe('webhook-deliverer: synchronous test deliveries', () => {
  test("when a room's outgoing webhook is tested, then one POST signed in seed 004's hex reaches the receiver and its status comes back", async () => {
    const target = await receiver(200, 'received');
    const { secret, request } = roomTest(target.url);

    const result = await internal(DelivererRoutes.testDelivery, { body: request });

    expect(result).toEqual({ id: request.webhookId, success: true, status_code: 200, latency_ms: expect.any(Number), response_body: 'received', error: null });
    expect(target.requests).toHaveLength(1);
    const [received] = target.requests;
    expect(received!.headers['x-pingback-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(received!.headers['webhook-id']).toBe(request.webhookId);
    expect(received!.body).toBe(JSON.stringify(request.body));
    expect(verifyRoomWebhook(asSeedRequest(received!), secret)).toBe(true);
    expect(verifyRoomWebhook({ ...asSeedRequest(received!), rawBody: received!.body.replace('Test', 'Tost') }, secret)).toBe(false);
    expect(() => new Webhook(secret).verify(received!.body, received!.headers as Record<string, string>)).not.toThrow();
    expect(await webhookRow(harness.db, request.webhookId)).toMatchObject({ status: 'succeeded', purpose: 'room', endpointKind: 'room_webhook', attempts: 1 });
  });

  test('when the receiver of a test answers 500, then the answer says so, nothing is retried, and the endpoint is not counted against', async () => {
    const target = await receiver(500, 'nope');
    const { endpoint, request } = roomTest(target.url);

    const result = await internal(DelivererRoutes.testDelivery, { body: request });

    expect(result).toMatchObject({ success: false, status_code: 500, response_body: 'nope', error: { code: 'http_error' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.requests).toHaveLength(1);
    expect(await healthOf(endpoint)).toMatchObject({ consecutive_failures: 0, disabled_at: null });
    const [logged] = (await internal(DelivererRoutes.listWebhooks, { query: { account_id: 'acc_rooms', endpoint: endpoint.id } })).data;
    expect(logged).toMatchObject({ id: request.webhookId, status: 'failed', attempts: [expect.objectContaining({ status_code: 500, response_body: 'nope' })] });
    expect(harness.events.all.filter((event) => event.payload.webhookId === request.webhookId)).toEqual([]);
  });

  test('when a switched-off endpoint is tested, then the test is still sent (its owner sees whether it works again), and it stays off', async () => {
    let status = 410;
    const target = await startReceiver(() => ({ status }));
    receivers.push(target);
    const { endpoint, request } = roomTest(target.url);
    const gone = await harness.send({ url: target.url, endpoint, accountId: 'acc_rooms' });
    await harness.events.waitFor('webhook.failed', gone.webhookId);
    const off = await healthOf(endpoint);
    expect(off).toMatchObject({ disabled_reason: 'gone', consecutive_failures: 1 });

    status = 200;
    expect(await internal(DelivererRoutes.testDelivery, { body: request })).toMatchObject({ success: true, status_code: 200 });
    expect(target.requests).toHaveLength(2);
    expect(await healthOf(endpoint)).toEqual(off);
  });
});
