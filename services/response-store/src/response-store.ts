import type { Broker } from '@pingback/broker';
import type { Redis } from '@pingback/redis';
import type { Keyring } from '@pingback/security';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { createAnsweredMarkers } from './cache/answered-markers';
import { createMessageRepository } from './data/message.repository';
import { createOutboxRepository } from './data/outbox.repository';
import type { ResponsesDb } from './data/prisma';
import type { Clock } from './domain/clock';
import { consumeNotificationRequested } from './messaging/notification-requested.consumer';
import { createOutboxRelay } from './messaging/outbox-relay';
import { consumeWebhookSettled } from './messaging/webhook-settled.consumer';

export interface ResponseStoreOptions {
  db: ResponsesDb;
  redis: Redis;
  broker: Broker;
  keyring: Keyring;
  logger: Logger;
  clock: Clock;
  failOpen: Counter<'operation'>;
  readWindowMs: number;
  outboxIntervalMs: number;
  maxTextAnswerChars: number;
}

/** Builds response-store's parts from its dependencies; main.ts and tests both use this. */
export function createResponseStore(options: ResponseStoreOptions) {
  const repo = createMessageRepository(options.db);
  const markers = createAnsweredMarkers(options.redis, { logger: options.logger, failOpen: options.failOpen });
  const relay = createOutboxRelay({
    outbox: createOutboxRepository(options.db),
    broker: options.broker,
    logger: options.logger,
    intervalMs: options.outboxIntervalMs,
  });
  consumeNotificationRequested(options.broker, repo);
  consumeWebhookSettled(options.broker, repo);
  return {
    deps: { repo, markers, keyring: options.keyring, clock: options.clock, readWindowMs: options.readWindowMs, maxTextAnswerChars: options.maxTextAnswerChars },
    relay,
  };
}

export type ResponseStore = ReturnType<typeof createResponseStore>;
