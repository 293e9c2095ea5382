import { createBroker, topology, type Broker } from '@pingback/broker';
import { EXCHANGES, publications, type NotificationPayload } from '@pingback/contracts';
import { createLogger } from '@pingback/observability';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, createMessageId, internalCallCredential, newId, signId, type Keyring } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, waitFor, type IsolatedTestFile, type JsonClient, type MessageTap } from '@pingback/testing';
import { loadConfig } from '../../src/config';
import { startResponseStore } from '../../src/start-response-store';

export interface SentMessage {
  payload: NotificationPayload;
  /** The respond token of each planned delivery, in order. */
  tokens: string[];
}

/**
 * response-store in this process, on this test file's own database, vhost and Redis prefix, with a publisher
 * standing in for the gateway and taps on both exchanges to see what it publishes.
 */
export interface ResponseStoreHarness {
  service: RunningService;
  keyring: Keyring;
  events: MessageTap;
  commands: MessageTap;
  /** Waits until the message is recorded (its links open without waiting). */
  recorded(messageId: string): Promise<void>;
  /** Messages the queue `queue` has handled and acked so far (the service's own counter). */
  acked(queue: string): Promise<number>;
  /** Publishes notification.requested, confirmed, as the gateway does after a send. */
  send(overrides?: Partial<NotificationPayload>, deliveries?: number): Promise<SentMessage>;
  /** A request to response-store's internal port, with our services' internal-call credential. */
  call: JsonClient;
  /** A request to the internal port as anyone else makes it: without the credential. */
  callWithoutCredential: JsonClient;
  close(): Promise<void>;
}

export async function startHarness(overrides: Record<string, string> = {}): Promise<ResponseStoreHarness> {
  const isolated: IsolatedTestFile = await isolateTestFile();
  const env = serviceEnv(isolated, overrides);
  const keyring = createKeyring(env.PINGBACK_SECRET_KEY!);
  const publisher: Broker = createBroker({ url: isolated.rabbitUrl, topology, logger: createLogger('test', 'silent') });
  await publisher.start();
  const [events, commands] = await Promise.all([tapExchange(isolated.rabbitUrl, EXCHANGES.events), tapExchange(isolated.rabbitUrl, EXCHANGES.commands)]);
  const service = await startResponseStore(loadConfig(env));
  const call = jsonClient(`http://127.0.0.1:${service.healthPort}`, { 'x-pingback-internal': internalCallCredential(keyring) });

  return {
    service,
    keyring,
    events,
    commands,
    async recorded(messageId) {
      await waitFor(async () => (await call('GET', `/internal/messages/${messageId}`)).status === 200, { description: `${messageId} recorded` });
    },
    async acked(queue) {
      const text = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith('pingback_messages_acked_total{') && candidate.includes(`queue="${queue}"`));
      return line ? Number(line.split(' ').at(-1)) : 0;
    },
    async send(overrides = {}, deliveries = 1) {
      const channelId = overrides.channelId ?? newId('ch_');
      const now = new Date();
      const planned = Array.from({ length: deliveries }, () => ({ id: newId('dlv_'), kind: 'web' as const, destinationId: null, url: null }));
      const payload: NotificationPayload = {
        messageId: createMessageId(keyring, channelId),
        accountId: 'acc_test',
        channelId,
        title: 'Deploy to Production?',
        body: null,
        priority: 'high',
        actions: [
          { type: 'button', label: 'Deploy', key: 'deploy', style: 'primary' },
          { type: 'text', label: 'Comment', key: 'comment' },
        ],
        data: null,
        callbackUrl: null,
        eventsUrl: null,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
        deliveries: planned,
        fallback: [],
        escalation: null,
        ...overrides,
      };
      await publisher.publish(publications.notificationRequested, payload, { traceId: `trace-${payload.messageId}` });
      return { payload, tokens: payload.deliveries.map((delivery) => signId(keyring, 'respond-link', delivery.id)) };
    },
    call,
    callWithoutCredential: jsonClient(`http://127.0.0.1:${service.healthPort}`),
    async close() {
      await service.stop('test finished');
      await Promise.allSettled([publisher.stop(), events.close(), commands.close()]);
      await isolated.cleanup();
    },
  };
}
