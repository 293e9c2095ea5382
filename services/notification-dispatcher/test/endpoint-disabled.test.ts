import { randomUUID } from 'node:crypto';
import { createBroker, topology, type Broker } from '@pingback/broker';
import { envelopeFor, EXCHANGES, publications, webhookDeliverPublications, type EndpointDisabled, type EndpointRef, type NotificationPayload } from '@pingback/contracts';
import { createLogger } from '@pingback/observability';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, createMessageId, internalCallCredential, newId, type Keyring } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, waitFor, type IsolatedTestFile, type JsonClient, type MessageTap, type TappedMessage } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startDispatcher } from '../src/start-dispatcher';

// Real: Postgres (own database), RabbitMQ (own vhost), the dispatcher in this process answering its internal port.
// This file plays webhook-deliverer: it publishes what the deliverer would (endpoint.disabled, outcomes) and reads
// the commands the dispatcher publishes.

let isolated: IsolatedTestFile;
let keyring: Keyring;
let publisher: Broker;
let commands: MessageTap;
let dispatcher: RunningService;
let call: JsonClient;

beforeAll(async () => {
  isolated = await isolateTestFile();
  const env = serviceEnv(isolated, { PINGBACK_PUBLIC_URL: 'https://pingback.example' });
  keyring = createKeyring(env.PINGBACK_SECRET_KEY!);
  publisher = createBroker({ url: isolated.rabbitUrl, topology, logger: createLogger('test', 'silent') });
  await publisher.start();
  commands = await tapExchange(isolated.rabbitUrl, EXCHANGES.commands);
  dispatcher = await startDispatcher(loadConfig(env));
  call = jsonClient(`http://127.0.0.1:${dispatcher.healthPort}`, { 'x-pingback-internal': internalCallCredential(keyring) });
});

afterAll(async () => {
  await dispatcher.stop('test finished');
  await Promise.allSettled([publisher.stop(), commands.close()]);
  await isolated.cleanup();
});

async function webhookChannel(accountId: string, urls: string[]) {
  const channelId = newId('ch_');
  const added = await call('POST', `/internal/channels/${channelId}/destinations`, { account_id: accountId, destinations: urls.map((url) => ({ type: 'webhook', url })), max: 100 });
  expect(added.status).toBe(200);
  return { channelId, destinations: (added.body.data as { id: string; url: string }[]).map(({ id, url }) => ({ id, url })) };
}

async function eventEndpoint(accountId: string, url: string) {
  const created = await call('POST', '/internal/endpoints', { account_id: accountId, url, max: 10 });
  expect(created.status).toBe(200);
  return created.body as { id: string; url: string; signing_secret: string };
}

async function sendTo(accountId: string, channelId: string): Promise<string> {
  const now = new Date();
  const payload: NotificationPayload = {
    messageId: createMessageId(keyring, channelId),
    accountId,
    channelId,
    title: 'Disk almost full',
    body: null,
    priority: 'normal',
    actions: [],
    data: null,
    callbackUrl: null,
    eventsUrl: null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    deliveries: [{ id: newId('dlv_'), kind: 'web', destinationId: null, url: null }],
    fallback: [],
    escalation: null,
  };
  await publisher.publish(publications.notificationRequested, payload, { traceId: 'trace-test' });
  return payload.messageId;
}

/** endpoint.disabled as webhook-deliverer publishes it: its id names the endpoint and the time it was switched off. */
function disabledEvent(accountId: string, endpoint: EndpointRef, url: string, disabledAt = new Date()): EndpointDisabled {
  return envelopeFor(
    publications.endpointDisabled,
    { accountId, endpoint, url, reason: 'consecutive_failures', consecutiveFailures: 15, disabledAt: disabledAt.toISOString() },
    { id: `endpoint.disabled:${endpoint.kind}:${endpoint.id}:${disabledAt.getTime()}`, occurredAt: disabledAt },
  );
}

const told = (endpointId: string): TappedMessage[] =>
  commands.all.filter((command) => command.type === webhookDeliverPublications.delivery_event.type && (command.payload.body as { endpoint?: { id: string } }).endpoint?.id === endpointId);

const deliveryCommands = (messageId: string) =>
  commands.all.filter((command) => command.payload.purpose === 'notification' && (command.payload.subject as { refs: { messageId?: string } }).refs.messageId === messageId);

const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

describe('notification-dispatcher: endpoints webhook-deliverer switched off', () => {
  test("when a webhook destination is switched off, then later sends skip it, resending to it is 409 until it is enabled, and each of the account's event endpoints is told once", async () => {
    const { channelId, destinations } = await webhookChannel('acc_dst', ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b']);
    const [off, on] = destinations as [{ id: string; url: string }, { id: string; url: string }];
    const endpoints = [await eventEndpoint('acc_dst', 'http://127.0.0.1:9/events-1'), await eventEndpoint('acc_dst', 'http://127.0.0.1:9/events-2')];
    await eventEndpoint('acc_someone_else', 'http://127.0.0.1:9/not-theirs');

    const first = await sendTo('acc_dst', channelId);
    const made = await waitFor(() => deliveryCommands(first).length === 2 && deliveryCommands(first), { description: 'two webhook commands' });
    expect(new Set(made.map((command) => JSON.stringify(command.payload.endpoint)))).toEqual(
      new Set(destinations.map((d) => JSON.stringify({ kind: 'destination', id: d.id }))),
    );
    const offDelivery = made.find((command) => command.payload.url === off.url)!.payload.webhookId as string;
    await publisher.publish(publications.webhookFailed, {
      webhookId: offDelivery,
      purpose: 'notification',
      subject: { accountId: 'acc_dst', kind: 'delivery', id: offDelivery, refs: { messageId: first, channelId } },
      attempts: 3,
      error: { code: 'http_error', message: 'the receiver answered 500' },
      at: new Date().toISOString(),
    });

    const event = disabledEvent('acc_dst', { kind: 'destination', id: off.id }, off.url);
    await publisher.publishEnvelope(publications.endpointDisabled, event);
    await publisher.publishEnvelope(publications.endpointDisabled, event);
    const notices = await waitFor(() => told(off.id).length >= 2 && told(off.id), { description: 'both event endpoints told' });
    await settle();
    expect(told(off.id)).toHaveLength(2);
    expect(new Set(notices.map((notice) => notice.payload.url))).toEqual(new Set(endpoints.map((e) => e.url)));
    for (const notice of notices) {
      const target = endpoints.find((e) => e.url === notice.payload.url)!;
      expect(notice.payload).toMatchObject({ purpose: 'delivery_event', signer: { kind: 'endpoint', id: target.id }, endpoint: { kind: 'event_endpoint', id: target.id } });
      expect(notice.payload.body).toEqual({
        event: 'endpoint.disabled',
        endpoint: { type: 'webhook_destination', id: off.id, url: off.url },
        reason: 'consecutive_failures',
        consecutive_failures: 15,
        disabled_at: event.payload.disabledAt.replace(/\.\d{3}Z$/, 'Z'),
        timestamp: event.payload.disabledAt.replace(/\.\d{3}Z$/, 'Z'),
      });
    }
    expect((await call('GET', `/internal/channels/${channelId}/destinations/${off.id}?account_id=acc_dst`)).body).toMatchObject({ active: false });

    const second = await sendTo('acc_dst', channelId);
    const [only] = await waitFor(() => deliveryCommands(second).length === 1 && deliveryCommands(second), { description: 'one webhook command' });
    expect(only!.payload).toMatchObject({ url: on.url, endpoint: { kind: 'destination', id: on.id } });

    const resend = () => call('POST', `/internal/deliveries/${offDelivery}/resend`, { account_id: 'acc_dst' });
    await waitFor(async () => {
      const read = await call('GET', `/internal/messages/${first}`);
      return (read.body.deliveries as { id: string; status: string }[]).some((d) => d.id === offDelivery && d.status === 'failed');
    }, { description: 'the delivery failed' });
    expect(await resend()).toMatchObject({ status: 409, body: { error: 'endpoint_disabled' } });

    const enabled = await call('POST', `/internal/channels/${channelId}/destinations/${off.id}/enable`, { account_id: 'acc_dst' });
    expect(enabled).toMatchObject({ status: 200, body: { id: off.id, active: true } });
    expect(await call('POST', `/internal/channels/${channelId}/destinations/${off.id}/enable`, { account_id: 'acc_other' })).toMatchObject({ status: 404 });
    expect(await resend()).toMatchObject({ status: 200, body: { id: offDelivery, status: 'pending' } });
  });

  test('when an event endpoint is switched off, then it is disabled here and only the other endpoints are told; a switch-off from before its owner enabled it changes nothing', async () => {
    const [off, other] = [await eventEndpoint('acc_ep', 'http://127.0.0.1:9/ep-off'), await eventEndpoint('acc_ep', 'http://127.0.0.1:9/ep-other')];
    const before = new Date(Date.now() - 60_000);
    const event = disabledEvent('acc_ep', { kind: 'event_endpoint', id: off.id }, off.url);
    await publisher.publishEnvelope(publications.endpointDisabled, event);

    const [notice] = await waitFor(() => told(off.id).length >= 1 && told(off.id), { description: 'the other endpoint told' });
    await settle();
    expect(told(off.id).map((command) => command.payload.url)).toEqual([other.url]);
    expect(notice!.payload.body).toMatchObject({ endpoint: { type: 'event_endpoint', id: off.id, url: off.url } });
    const read = await call('GET', `/internal/endpoints/${off.id}?account_id=acc_ep`);
    expect(read.body).toMatchObject({ disabled_at: event.payload.disabledAt });

    expect((await call('POST', `/internal/endpoints/${off.id}/enable`, { account_id: 'acc_ep' })).body).toMatchObject({ disabled_at: null });
    await publisher.publishEnvelope(publications.endpointDisabled, disabledEvent('acc_ep', { kind: 'event_endpoint', id: off.id }, off.url, before));
    await settle();
    expect((await call('GET', `/internal/endpoints/${off.id}?account_id=acc_ep`)).body).toMatchObject({ disabled_at: null });
    expect(told(off.id)).toHaveLength(1);
  });

  test("when a room's outgoing webhook is switched off, then the account's event endpoints are told with its type", async () => {
    const endpoint = await eventEndpoint('acc_room', 'http://127.0.0.1:9/room-events');
    const roomId = `room_${randomUUID()}`;
    await publisher.publishEnvelope(publications.endpointDisabled, disabledEvent('acc_room', { kind: 'room_webhook', id: roomId }, 'http://127.0.0.1:9/room-hook'));

    const [notice] = await waitFor(() => told(roomId).length >= 1 && told(roomId), { description: 'the endpoint told' });
    expect(notice!.payload).toMatchObject({ url: endpoint.url, body: { endpoint: { type: 'room_webhook', id: roomId, url: 'http://127.0.0.1:9/room-hook' } } });
  });
});
