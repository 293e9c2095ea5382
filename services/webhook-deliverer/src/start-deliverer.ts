import { webhookDeliverPublications, webhookDeliverSubscriptions, type WebhookDeliver } from '@pingback/contracts';
import { createPrismaClient, prismaDatabase, schemaForService } from '@pingback/db';
import type { Logger } from '@pingback/observability';
import { databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring, createOutgoingAgents, internalCallCredential, type Resolver, safePost } from '@pingback/security';
import { Router } from 'express';
import type { Config } from './config';
import { createEndpointHealthRepository } from './data/endpoint-health.repository';
import { createWebhookRepository } from './data/webhook.repository';
import { ConcurrentDeliveryError, type DeliverWebhookDeps } from './domain/deliver-webhook';
import { lookupByKind } from './clients/signer-lookups';
import { createSigningSecretsCache } from './clients/signing-secrets-cache';
import { decryptingLookup, ownerSecretsLookup } from './clients/signing-secrets-client';
import { PrismaClient } from './generated/prisma/client';
import { endpointsRoutes } from './http/endpoints.routes';
import { testDeliveriesRoutes } from './http/test-deliveries.routes';
import { webhooksRoutes } from './http/webhooks.routes';
import { delivererPublications } from './messaging/deliverer-publications';
import { consumeSignerRotated } from './messaging/signer-rotated.consumer';
import { webhookDeliverHandler } from './messaging/webhook-deliver.consumer';
import { createDelivererMetrics } from './metrics';

export const SERVICE = 'webhook-deliverer';

/** Signers whose secrets one process keeps; the least recently used goes first beyond it. */
const SIGNER_CACHE_ENTRIES = 10_000;

export interface DelivererOptions {
  logger?: Logger;
  /** Resolves receivers' host names (default: the system's). Tests pass one that knows only loopback names. */
  resolver?: Resolver;
  clock?: () => Date;
}

/** Every outgoing POST: signed, sent with the target policy, recorded per attempt, retried on its purpose's schedule. */
export function startDeliverer(config: Config, options: DelivererOptions = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    isTransientError: (error) => error instanceof ConcurrentDeliveryError,
    build: ({ logger, metrics, broker }) => {
      const db = createPrismaClient(PrismaClient, { ...databaseOptions(config, metrics), connectionString: config.DATABASE_URL, schema: schemaForService(SERVICE) });
      const repo = createWebhookRepository(db);
      const health = createEndpointHealthRepository(db);
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      const clock = options.clock ?? (() => new Date());
      const deliverer = createDelivererMetrics(metrics.registry, { signerCacheSize: () => secrets.size() });
      // Who keeps each signer kind's secrets. A new kind is one entry, and its owner publishes signer.rotated when
      // they change.
      const credential = internalCallCredential(keyring);
      const gateway = ownerSecretsLookup({ url: config.GATEWAY_INTERNAL_URL, service: 'ingest-gateway' }, credential, metrics.registry);
      const owners = {
        channel: gateway,
        room: gateway,
        account: gateway,
        endpoint: ownerSecretsLookup({ url: config.DISPATCHER_URL, service: 'notification-dispatcher' }, credential, metrics.registry),
      };
      const secrets = createSigningSecretsCache(lookupByKind(owners), {
        ttlMs: config.PINGBACK_SIGNER_CACHE_TTL_MS,
        maxEntries: SIGNER_CACHE_ENTRIES,
        now: () => clock().getTime(),
        onEvent: (event) => deliverer.signerCache.inc({ event }),
      });
      consumeSignerRotated(broker, secrets);
      const agents = createOutgoingAgents({
        maxSocketsPerOrigin: config.PINGBACK_WEBHOOK_SOCKETS_PER_ORIGIN,
        onConnection: () => deliverer.connectionsOpened.inc(),
      });
      const deps: DeliverWebhookDeps = {
        repo,
        health,
        publishEvent: (event) => broker.publishEnvelope(delivererPublications[event.type], event),
        disableAfterFailures: config.PINGBACK_ENDPOINT_DISABLE_AFTER_FAILURES,
        signingSecrets: decryptingLookup(secrets.lookup, keyring),
        post: (request) =>
          safePost({
            ...request,
            allowPrivate: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
            agents,
            ...(options.resolver ? { lookup: options.resolver } : {}),
          }),
        timeoutMs: config.PINGBACK_WEBHOOK_TIMEOUT_MS,
        clock,
        metrics: deliverer,
        logger,
      };
      for (const subscription of Object.values(webhookDeliverSubscriptions)) broker.consume(subscription, webhookDeliverHandler(deps));
      const publishDeliver = async (command: WebhookDeliver['payload'], traceId: string) => {
        await broker.publish(webhookDeliverPublications[command.purpose], command, { traceId });
      };
      const internalRoutes = Router().use(
        webhooksRoutes({ repo, health, publishDeliver }),
        endpointsRoutes(health, clock),
        testDeliveriesRoutes(deps),
      );
      return { database: prismaDatabase(db), internalRoutes };
    },
  });
}
