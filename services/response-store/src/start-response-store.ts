import { loadLimits } from '@pingback/contracts';
import { prismaDatabase } from '@pingback/db';
import type { Logger } from '@pingback/observability';
import { createRedis } from '@pingback/redis';
import { databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring } from '@pingback/security';
import { createAnsweredMarkers } from './cache/answered-markers';
import type { Config } from './config';
import { createMessageRepository } from './data/message.repository';
import { createOutboxRepository } from './data/outbox.repository';
import { createResponsesDb } from './data/prisma';
import { systemClock, type Clock } from './domain/clock';
import { internalRoutes } from './http/internal.routes';
import { consumeNotificationRequested } from './messaging/notification-requested.consumer';
import { createOutboxRelay } from './messaging/outbox-relay';
import { consumeWebhookSettled } from './messaging/webhook-settled.consumer';

export const SERVICE = 'response-store';

export interface ResponseStoreOptions {
  logger?: Logger;
  clock?: Clock;
}

/** Records every message, takes the first answer, hands it out once, and asks for its callback. */
export function startResponseStore(config: Config, options: ResponseStoreOptions = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    build: ({ logger, metrics, broker }) => {
      const db = createResponsesDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
      const repo = createMessageRepository(db);
      const relay = createOutboxRelay({
        outbox: createOutboxRepository(db),
        broker,
        logger,
        intervalMs: config.PINGBACK_OUTBOX_INTERVAL_MS,
      });
      consumeNotificationRequested(broker, repo);
      consumeWebhookSettled(broker, repo);
      const answers = {
        repo,
        markers: createAnsweredMarkers(redis, { logger, failOpen: metrics.redisFailOpen }),
        keyring: createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS),
        clock: options.clock ?? systemClock,
        readWindowMs: config.PINGBACK_READ_WINDOW_MS,
        maxTextAnswerChars: loadLimits().textAnswerChars,
        recordWaitMs: config.PINGBACK_LINK_RECORD_WAIT_MS,
      };
      return {
        database: prismaDatabase(db),
        redis,
        internalRoutes: internalRoutes({ answers, relay }),
        workers: [{ name: 'outbox-relay', start: relay.start, stop: relay.stop }],
      };
    },
  });
}
