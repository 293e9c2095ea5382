import { randomBytes, randomUUID } from 'node:crypto';
import { createBroker, topology, withScheduleOverrides, type Broker } from '@pingback/broker';
import {
  envelopeFor,
  publications,
  webhookDeliverPublications,
  webhookDeliverSubscriptions,
  type EndpointRef,
  type WebhookDeliver,
  type WebhookPurpose,
} from '@pingback/contracts';
import { createPrismaClient } from '@pingback/db';
import { createLogger } from '@pingback/observability';
import { createKeyring, encryptSecret, generateSecret, internalCallCredential, type Keyring, type Resolver } from '@pingback/security';
import { isolateTestFile } from '@pingback/testing';
import { loadConfig } from '../../src/config';
import { startDeliverer } from '../../src/start-deliverer';
import type { RunningService } from '@pingback/runtime';
import { PrismaClient } from '../../src/generated/prisma/client';
import { observeEvents, type EventLog } from './events';
import { signerKey, startGatewayStandIn } from './gateway-stand-in';

/** Every retry after 50 ms: each purpose keeps its number of attempts (callbacks 7, notification webhooks 3). */
export const FAST_SCHEDULES = Object.values(webhookDeliverSubscriptions)
  .map(({ queue, retryDelaysMs }) => `${queue}=${retryDelaysMs.map(() => 50).join(',')}`)
  .join(';');

/** Knows only `localhost`, so no test ever resolves a real name. */
export const loopbackResolver: Resolver = async (hostname) => {
  if (hostname === 'localhost') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

export interface SentCommand {
  envelope: WebhookDeliver;
  webhookId: string;
  /** The plain signing secrets, current first, as a receiver would know them. */
  secrets: string[];
}

export interface CommandInput {
  url: string;
  purpose?: WebhookPurpose;
  webhookId?: string;
  body?: Record<string, unknown>;
  /** Plain secrets, current first; one new `whsec_` secret when left out. */
  secrets?: string[];
  /** What the signer's owner answers instead of the encrypted `secrets` (a value that does not decrypt, say). */
  signingSecrets?: string[];
  /** A channel already registered with setSigner (its secrets are not replaced); a new one when left out. */
  signerId?: string;
  /** The registered endpoint the POST goes to (its health counts the attempts); none when left out. */
  endpoint?: EndpointRef | null;
  /** acc_test when left out. */
  accountId?: string;
}

export interface StartOptions {
  resolver?: Resolver;
  clock?: () => Date;
  /** Variables that differ from the harness's environment for this deliverer. */
  env?: Record<string, string>;
}

export interface Harness {
  /** The service's whole environment: in-process via startDeliverer, or as a process via startService. */
  env: Record<string, string>;
  keyring: Keyring;
  events: EventLog;
  db: PrismaClient;
  /** Starts webhook-deliverer in this process; close() shuts it down. */
  startDeliverer(options?: StartOptions): Promise<RunningService>;
  /**
   * What the gateway stand-in answers for a signer (a channel unless `kind` says room) from now on: plain secrets,
   * current first (encrypted here).
   */
  setSigner(signerId: string, secrets: string[], kind?: 'channel' | 'room'): void;
  /** How many times deliverers asked the gateway stand-in for a channel's secrets. */
  gatewayAskedFor(signerId: string): number;
  /** Publishes signer.rotated for a channel, as the gateway does when its secret rotates or it is deleted. */
  rotated(signerId: string): Promise<void>;
  /** Publishes a webhook.deliver command, confirmed, as another service would. */
  send(input: CommandInput): Promise<SentCommand>;
  /** Publishes an envelope already built (a redelivery of the same command). */
  publish(envelope: WebhookDeliver): Promise<void>;
  close(): Promise<void>;
}

/** The body an answer callback carries (seed 001), with values JSON.stringify writes differently from Python. */
export function callbackBody(messageId = `msg_${randomUUID()}`): Record<string, unknown> {
  return {
    message_id: messageId,
    channel_id: 'ch_test',
    timestamp: '2026-11-23T10:30:05Z',
    triggered_by: 'approve',
    responses: { comment: 'Looks "good" — ship it ✓', amount: 0.00001, nested: { list: [1, 2.5, null, true] } },
  };
}

/**
 * One test file's world: its own database and vhost, the service's environment, a publisher of commands, a log
 * of every event on pingback.events, and a Prisma client on the service's schema.
 */
export async function createHarness(envOverrides: Record<string, string> = {}): Promise<Harness> {
  const isolated = await isolateTestFile();
  /** Each sent command's signer (by signerKey) and its encrypted secrets, as the gateway would answer for them. */
  const signers = new Map<string, string[]>();
  const secretKey = envOverrides.PINGBACK_SECRET_KEY ?? randomBytes(32).toString('base64');
  const gateway = await startGatewayStandIn(signers, internalCallCredential(createKeyring(secretKey)));
  const env: Record<string, string> = {
    GATEWAY_INTERNAL_URL: gateway.url,
    DATABASE_URL: isolated.databaseUrl,
    RABBITMQ_URL: isolated.rabbitUrl,
    PINGBACK_SECRET_KEY: secretKey,
    PINGBACK_ALLOW_PRIVATE_TARGETS: 'true',
    PINGBACK_RETRY_SCHEDULES: FAST_SCHEDULES,
    PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: '100,200,400',
    HEALTH_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...envOverrides,
  };
  const logger = createLogger('webhook-deliverer-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const keyring = createKeyring(env.PINGBACK_SECRET_KEY!);
  const publisher: Broker = createBroker({
    url: env.RABBITMQ_URL!,
    topology: withScheduleOverrides(topology, env.PINGBACK_RETRY_SCHEDULES),
    logger,
  });
  await publisher.start();
  const events = await observeEvents(env.RABBITMQ_URL!);
  const db = createPrismaClient(PrismaClient, { connectionString: env.DATABASE_URL!, schema: 'deliverer' });
  const running: RunningService[] = [];

  const publish = (envelope: WebhookDeliver): Promise<void> =>
    publisher.publishEnvelope(webhookDeliverPublications[envelope.payload.purpose], envelope);

  return {
    env,
    keyring,
    events,
    db,
    async startDeliverer(options = {}) {
      const deliverer = await startDeliverer(loadConfig({ ...env, ...options.env }), {
        resolver: options.resolver ?? loopbackResolver,
        ...(options.clock ? { clock: options.clock } : {}),
      });
      running.push(deliverer);
      return deliverer;
    },
    setSigner(signerId, secrets, kind = 'channel') {
      signers.set(signerKey(kind, signerId), secrets.map((secret) => encryptSecret(keyring, secret)));
    },
    gatewayAskedFor: (signerId) => gateway.askedFor('channel', signerId),
    async rotated(signerId) {
      await publisher.publish(publications.signerRotated, { kind: 'channel', id: signerId });
    },
    async send(input) {
      const secrets = input.secrets ?? [generateSecret('whsec_')];
      const signerId = input.signerId ?? `ch_test_${randomUUID()}`;
      if (!input.signerId) signers.set(signerKey('channel', signerId), input.signingSecrets ?? secrets.map((secret) => encryptSecret(keyring, secret)));
      const webhookId = input.webhookId ?? `hook_test_${randomUUID()}`;
      const body = input.body ?? callbackBody();
      const purpose = input.purpose ?? 'callback';
      const envelope = envelopeFor(
        webhookDeliverPublications[purpose],
        {
          webhookId,
          purpose,
          url: input.url,
          body,
          signer: { kind: 'channel', id: signerId },
          subject: { accountId: input.accountId ?? 'acc_test', kind: 'message', id: String(body.message_id ?? 'msg_test'), refs: { channelId: signerId } },
          endpoint: input.endpoint ?? null,
        },
        { traceId: `trace-${randomUUID()}` },
      );
      await publish(envelope);
      return { envelope, webhookId, secrets };
    },
    publish,
    async close() {
      await Promise.allSettled(running.map((deliverer) => deliverer.stop('test finished')));
      await Promise.allSettled([publisher.stop(), events.close(), db.$disconnect(), gateway.close()]);
      await isolated.cleanup();
    },
  };
}

/** The webhook's row and its attempts, oldest first. */
export function webhookRow(db: PrismaClient, webhookId: string) {
  return db.webhook.findUnique({ where: { id: webhookId }, include: { attemptRows: { orderBy: { startedAt: 'asc' } } } });
}
