import { createBroker, topology, type Broker } from '@pingback/broker';
import { EXCHANGES, publications, webhookDeliverPublications, type NotificationPayload } from '@pingback/contracts';
import { createLogger } from '@pingback/observability';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, createMessageId, internalCallCredential, newId, type Keyring } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, waitFor, type IsolatedTestFile, type JsonClient, type MessageTap } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startDispatcher } from '../src/start-dispatcher';

const PUBLIC_URL = 'https://pingback.example';

let isolated: IsolatedTestFile;
let keyring: Keyring;
let publisher: Broker;
let commands: MessageTap;
let dispatcher: RunningService;
let call: JsonClient;

beforeAll(async () => {
  isolated = await isolateTestFile();
  // Pages of two, so a channel of five destinations takes three pages.
  const env = serviceEnv(isolated, { PINGBACK_PUBLIC_URL: PUBLIC_URL, PINGBACK_FANOUT_PAGE_SIZE: '2' });
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

interface Sent {
  payload: NotificationPayload;
  destinations: { id: string; url: string }[];
}

/** A channel with `webhooks` webhook destinations (added as the gateway adds them), and a send to it. */
async function sentMessage(webhooks: number, options: { eventsUrl?: string; fallback?: (ids: string[]) => string[] } = {}): Promise<Sent> {
  const channelId = newId('ch_');
  const added = await call('POST', `/internal/channels/${channelId}/destinations`, {
    account_id: 'acc_test',
    destinations: Array.from({ length: webhooks }, (_, i) => ({ type: 'webhook', url: `http://127.0.0.1:9/hook/${i}` })),
    max: 100,
  });
  expect(added.status).toBe(200);
  const destinations = (added.body.data as { id: string; url: string }[]).map(({ id, url }) => ({ id, url }));
  const now = new Date();
  const payload: NotificationPayload = {
    messageId: createMessageId(keyring, channelId),
    accountId: 'acc_test',
    channelId,
    title: 'Disk almost full',
    body: '91 % on db-1',
    priority: 'normal',
    actions: [{ type: 'button', label: 'Ack', key: 'ack' }],
    data: { host: 'db-1' },
    callbackUrl: null,
    eventsUrl: options.eventsUrl ?? null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    deliveries: [{ id: newId('dlv_'), kind: 'web', destinationId: null, url: null }],
    fallback: options.fallback?.(destinations.map((d) => d.id)) ?? [],
    escalation: null,
  };
  await publisher.publish(publications.notificationRequested, payload, { traceId: 'trace-test' });
  return { payload, destinations };
}

const deliveryCommands = (messageId: string) =>
  commands.all.filter((command) => command.type === webhookDeliverPublications.notification.type && command.payload.purpose === 'notification' && (command.payload.subject as { refs: { messageId?: string } }).refs.messageId === messageId);

const eventCommands = (messageId: string) =>
  commands.all.filter((command) => command.type === webhookDeliverPublications.delivery_event.type && command.payload.purpose === 'delivery_event' && (command.payload.body as { notification_id?: string }).notification_id === messageId);

/** Reports an outcome of a delivery's POST, as webhook-deliverer does. */
async function report(sent: Sent, deliveryId: string, outcome: 'delivered' | 'failed' | 'attempted') {
  const identity = {
    webhookId: deliveryId,
    purpose: 'notification' as const,
    subject: { accountId: 'acc_test', kind: 'delivery', id: deliveryId, refs: { messageId: sent.payload.messageId, channelId: sent.payload.channelId } },
  };
  const at = new Date().toISOString();
  if (outcome === 'delivered') await publisher.publish(publications.webhookDelivered, { ...identity, attempt: 1, status: 204, latencyMs: 12, at }, { traceId: 'trace-test' });
  if (outcome === 'attempted') {
    const error = { code: 'TIMEOUT', message: 'no answer within 10 s' };
    await publisher.publish(publications.webhookAttempted, { ...identity, attempt: 1, maxAttempts: 3, error, nextRetryAt: at }, { traceId: 'trace-test' });
  }
  if (outcome === 'failed') {
    await publisher.publish(publications.webhookFailed, { ...identity, attempts: 3, error: { code: 'HTTP_500', message: 'the receiver answered 500' }, at }, { traceId: 'trace-test' });
  }
}

const readMessage = async (messageId: string) => (await call('GET', `/internal/messages/${messageId}`)).body as {
  deliveries: { id: string; type: string; status: string; round: string; destination_id: string | null; attempts: number; attempt_log: { attempt: number; outcome: string }[] }[];
};

describe('notification-dispatcher in process, on real Postgres and RabbitMQ', () => {
  test('when a channel has five webhook destinations, then one send becomes five signed-delivery commands, made in pages, each with its respond link', async () => {
    const sent = await sentMessage(5);
    const made = await waitFor(() => deliveryCommands(sent.payload.messageId).length === 5 && deliveryCommands(sent.payload.messageId), {
      description: 'five webhook.deliver commands',
    });
    expect(new Set(made.map((command) => command.payload.url))).toEqual(new Set(sent.destinations.map((d) => d.url)));
    expect(new Set(made.map((command) => command.payload.webhookId)).size).toBe(5);
    for (const command of made) {
      expect(command.payload).toMatchObject({ purpose: 'notification', signer: { kind: 'channel', id: sent.payload.channelId } });
      expect(command.payload.body).toMatchObject({ event: 'notification', message_id: sent.payload.messageId, title: 'Disk almost full', data: { host: 'db-1' } });
      expect((command.payload.body as { respond_url: string }).respond_url).toMatch(new RegExp(`^${PUBLIC_URL}/r/${command.payload.webhookId}\\.`));
    }
    const fanoutPages = commands.all.filter((command) => command.type === 'notification.fanout' && command.payload.messageId === sent.payload.messageId);
    expect(fanoutPages).toHaveLength(2);
  });

  test('when the message is read, then every delivery is listed with its status and respond link, the web inbox delivered', async () => {
    const sent = await sentMessage(1);
    const read = await waitFor(async () => {
      const reply = await call('GET', `/internal/messages/${sent.payload.messageId}`);
      return reply.status === 200 && (reply.body.deliveries as unknown[]).length === 2 && reply;
    }, { description: 'the message recorded' });
    expect(read.body).toMatchObject({ id: sent.payload.messageId, account_id: 'acc_test', channel_id: sent.payload.channelId, delivery_count: 2 });
    const deliveries = read.body.deliveries as { id: string; type: string; status: string; respond_url: string; destination_id: string | null }[];
    expect(deliveries.find((d) => d.type === 'web')).toMatchObject({ status: 'delivered', id: sent.payload.deliveries[0]!.id });
    expect(deliveries.find((d) => d.type === 'webhook')).toMatchObject({ status: 'pending', destination_id: sent.destinations[0]!.id });
    for (const d of deliveries) expect(d.respond_url).toMatch(new RegExp(`^${PUBLIC_URL}/r/${d.id}\\.`));
  });

  test('when webhook-deliverer reports a retry and then a success, then the delivery shows both attempts and events_url gets retrying and delivered, as seed 003 writes them', async () => {
    const sent = await sentMessage(1, { eventsUrl: 'http://127.0.0.1:9/events' });
    const [command] = await waitFor(() => deliveryCommands(sent.payload.messageId).length === 1 && deliveryCommands(sent.payload.messageId), { description: 'the delivery command' });
    const deliveryId = command!.payload.webhookId as string;
    await report(sent, deliveryId, 'attempted');
    await waitFor(() => eventCommands(sent.payload.messageId).length === 1, { description: 'the retrying event' });
    await report(sent, deliveryId, 'delivered');
    const events = await waitFor(() => eventCommands(sent.payload.messageId).length === 2 && eventCommands(sent.payload.messageId), { description: 'the delivered event' });
    expect(events.map((event) => event.payload.url)).toEqual(['http://127.0.0.1:9/events', 'http://127.0.0.1:9/events']);
    expect(events[0]!.payload.signer).toEqual({ kind: 'channel', id: sent.payload.channelId });
    // A send's own events_url is no registered endpoint: its failures count toward no endpoint's health.
    expect(events.map((event) => event.payload.endpoint)).toEqual([null, null]);
    expect(Object.keys(events[0]!.payload.body as object)).toEqual(['event', 'notification_id', 'channel', 'status', 'attempt', 'max_attempts', 'next_retry_at', 'error', 'timestamp']);
    expect(events[0]!.payload.body).toMatchObject({ event: 'notification.retrying', channel: 'webhook', status: 'retrying', attempt: 1, max_attempts: 3, error: { code: 'TIMEOUT' } });
    expect(Object.keys(events[1]!.payload.body as object)).toEqual(['event', 'notification_id', 'channel', 'status', 'recipient', 'delivered_at', 'latency_ms', 'attempt', 'metadata', 'timestamp']);
    expect(events[1]!.payload.body).toMatchObject({ event: 'notification.delivered', status: 'delivered', recipient: sent.destinations[0]!.url, attempt: 1, metadata: { host: 'db-1' } });
    expect((events[1]!.payload.body as { delivered_at: string }).delivered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const read = await readMessage(sent.payload.messageId);
    expect(read.deliveries.find((d) => d.id === deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, attempt_log: [{ attempt: 1, outcome: 'delivered' }] });
  });

  test('when a delivery fails for good and the send listed a fallback, then the fallback destination is delivered to and notification.failed then notification.fallback are emitted', async () => {
    const sent = await sentMessage(2, { eventsUrl: 'http://127.0.0.1:9/events', fallback: (ids) => [ids[1]!] });
    const first = await waitFor(() => deliveryCommands(sent.payload.messageId).length === 1 && deliveryCommands(sent.payload.messageId), { description: 'the primary delivery only' });
    expect(first[0]!.payload.url).toBe(sent.destinations[0]!.url);
    await report(sent, first[0]!.payload.webhookId as string, 'failed');
    const both = await waitFor(() => deliveryCommands(sent.payload.messageId).length === 2 && deliveryCommands(sent.payload.messageId), { description: 'the fallback delivery' });
    expect(both[1]!.payload.url).toBe(sent.destinations[1]!.url);
    const events = await waitFor(() => eventCommands(sent.payload.messageId).length === 2 && eventCommands(sent.payload.messageId), { description: 'failed and fallback events' });
    expect(events.map((event) => (event.payload.body as { event: string }).event)).toEqual(['notification.failed', 'notification.fallback']);
    expect(events[0]!.payload.body).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'HTTP_500', message: 'the receiver answered 500' }, metadata: { host: 'db-1' } });
    const read = await readMessage(sent.payload.messageId);
    expect(read.deliveries.find((d) => d.destination_id === sent.destinations[1]!.id)).toMatchObject({ round: 'fallback:0', status: 'pending' });
  });

  test('when the same send arrives twice, then its deliveries are asked for under the same webhook ids and none is made twice', async () => {
    const sent = await sentMessage(3);
    await waitFor(() => deliveryCommands(sent.payload.messageId).length === 3, { description: 'the first commands' });
    await publisher.publish(publications.notificationRequested, sent.payload, { traceId: 'trace-again' });
    const all = await waitFor(() => deliveryCommands(sent.payload.messageId).length === 6 && deliveryCommands(sent.payload.messageId), {
      description: 'the commands again',
    });
    expect(new Set(all.map((command) => command.payload.webhookId)).size).toBe(3);
    expect(new Set(all.map((command) => command.id)).size).toBe(3);
    expect((await readMessage(sent.payload.messageId)).deliveries).toHaveLength(4);
  });
});
