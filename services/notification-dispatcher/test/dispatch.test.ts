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
  const env = serviceEnv(isolated, { PINGBACK_PUBLIC_URL: PUBLIC_URL });
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

/** Publishes notification.recorded, as response-store does once a send is answerable. */
async function recordedMessage(webhooks: number): Promise<NotificationPayload> {
  const channelId = newId('ch_');
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
    eventsUrl: null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    deliveries: [
      { id: newId('dlv_'), kind: 'web', destinationId: null, url: null },
      ...Array.from({ length: webhooks }, (_, i) => ({ id: newId('dlv_'), kind: 'webhook' as const, destinationId: newId('dst_'), url: `http://127.0.0.1:9/hook/${i}` })),
    ],
  };
  await publisher.publish(publications.notificationRequested, payload, { traceId: 'trace-test' });
  return payload;
}

const deliveryCommands = (messageId: string) =>
  commands.all.filter((command) => command.type === webhookDeliverPublications.callback.type && (command.payload.subject as { refs: { messageId?: string } }).refs.messageId === messageId);

describe('notification-dispatcher in process, on real Postgres and RabbitMQ', () => {
  test('when a send is accepted, then each webhook destination gets one signed-delivery command with its respond link', async () => {
    const message = await recordedMessage(2);
    const sent = await waitFor(() => deliveryCommands(message.messageId).length === 2 && deliveryCommands(message.messageId), {
      description: 'two webhook.deliver commands',
    });
    const webhookDeliveries = message.deliveries.filter((delivery) => delivery.kind === 'webhook');
    expect(sent.map((command) => command.payload.webhookId).sort()).toEqual(webhookDeliveries.map((delivery) => delivery.id).sort());
    for (const command of sent) {
      expect(command.payload).toMatchObject({ purpose: 'notification', signer: { kind: 'channel', id: message.channelId } });
      expect(command.payload.body).toMatchObject({ event: 'notification', message_id: message.messageId, title: 'Disk almost full', data: { host: 'db-1' } });
      expect((command.payload.body as { respond_url: string }).respond_url).toMatch(new RegExp(`^${PUBLIC_URL}/r/${command.payload.webhookId}\\.`));
    }
  });

  test('when the message is read, then every delivery is listed with its status and respond link', async () => {
    const message = await recordedMessage(1);
    const read = await waitFor(async () => {
      const reply = await call('GET', `/internal/messages/${message.messageId}`);
      return reply.status === 200 && reply;
    }, { description: 'the message recorded' });
    expect(read.body).toMatchObject({ id: message.messageId, account_id: 'acc_test', channel_id: message.channelId });
    const deliveries = read.body.deliveries as { id: string; type: string; status: string; respond_url: string }[];
    expect(deliveries.map((d) => d.id).sort()).toEqual(message.deliveries.map((d) => d.id).sort());
    expect(deliveries.find((d) => d.type === 'webhook')?.status).toBe('pending');
    for (const d of deliveries) expect(d.respond_url).toMatch(new RegExp(`^${PUBLIC_URL}/r/${d.id}\\.`));
  });

  test('when webhook-deliverer reports a delivery as delivered, then its status says so', async () => {
    const message = await recordedMessage(1);
    const delivery = message.deliveries[1]!;
    await waitFor(() => deliveryCommands(message.messageId).length === 1, { description: 'the delivery command' });
    await publisher.publish(
      publications.webhookDelivered,
      {
        webhookId: delivery.id,
        purpose: 'notification' as const,
        subject: { accountId: message.accountId, kind: 'delivery', id: delivery.id, refs: { messageId: message.messageId, channelId: message.channelId } },
        attempt: 1,
        status: 204,
        latencyMs: 12,
        at: new Date().toISOString(),
      },
      { traceId: 'trace-test' },
    );
    const delivered = await waitFor(async () => {
      const reply = await call('GET', `/internal/messages/${message.messageId}`);
      const webhook = (reply.body.deliveries as { id: string; status: string; attempts: number }[]).find((d) => d.id === delivery.id);
      return webhook?.status === 'delivered' && webhook;
    }, { description: 'the delivery marked delivered' });
    expect(delivered.attempts).toBe(1);
  });

  test('when the same send arrives twice, then its deliveries are asked for under the same webhook ids', async () => {
    const message = await recordedMessage(1);
    await waitFor(() => deliveryCommands(message.messageId).length === 1, { description: 'the first command' });
    await publisher.publish(publications.notificationRequested, message, { traceId: 'trace-again' });
    const both = await waitFor(() => deliveryCommands(message.messageId).length === 2 && deliveryCommands(message.messageId), {
      description: 'the command again',
    });
    expect(both[0]!.payload.webhookId).toBe(both[1]!.payload.webhookId);
    expect(both[0]!.id).toBe(both[1]!.id);
  });
});
