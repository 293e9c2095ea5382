import { prismaDatabase } from '@pingback/db';
import { createDeadlineSweeper } from '@pingback/durable';
import type { Logger } from '@pingback/observability';
import { createRedis } from '@pingback/redis';
import { createBrokerOutboxRelay, databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring } from '@pingback/security';
import type { Adapters } from './adapters/adapters';
import { closeAdapters, configuredAdapters } from './adapters/configured-adapters';
import type { Config } from './config';
import { createDestinationRepository } from './data/destination.repository';
import { dispatcherDeadlines, dispatcherOutbox } from './data/durable-tables';
import { createDispatcherDb } from './data/prisma';
import type { DispatchDeps } from './dispatch-deps';
import { ESCALATION, runEscalationStep } from './domain/escalation';
import { createEventEndpoints } from './domain/event-endpoints';
import { createProviderRateLimits } from './domain/provider-rate-limits';
import { internalRoutes } from './http/internal.routes';
import { consumeFanoutPages } from './messaging/fanout-page.consumer';
import { consumeMessageAnswered } from './messaging/message-answered.consumer';
import { consumeNotificationRequested } from './messaging/notification-requested.consumer';
import { consumeProviderDeliveries } from './messaging/provider-deliver.consumer';
import { consumeWebhookOutcomes } from './messaging/webhook-outcome.consumer';

export const SERVICE = 'notification-dispatcher';

/** How long a provider send waits for its turn under a shared rate limit before it is retried later. */
const RATE_LIMIT_MAX_WAIT_MS = 30_000;

export interface DispatcherOptions {
  logger?: Logger;
  /** Tests give adapters pointed at their fakes; otherwise the environment configures them. */
  adapters?: Adapters;
}

/**
 * Owns where every channel delivers: fans each message out to the channel's destinations in pages any copy
 * takes, sends through the providers (APNs, email, Slack, Discord, Telegram, PagerDuty, web push) and hands
 * webhooks to webhook-deliverer, records every attempt, emits seed 003's delivery events, starts fallbacks and
 * runs escalation steps on the durable clock.
 */
export function startDispatcher(config: Config, options: DispatcherOptions = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    build: ({ logger, metrics, broker }) => {
      const db = createDispatcherDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      const adapters = options.adapters ?? configuredAdapters(config);
      const relay = createBrokerOutboxRelay({ db, outbox: dispatcherOutbox, broker, logger, intervalMs: config.PINGBACK_OUTBOX_INTERVAL_MS });
      const sweeper = createDeadlineSweeper({
        db,
        deadlines: dispatcherDeadlines,
        handlers: { [ESCALATION]: runEscalationStep },
        logger,
        intervalMs: config.PINGBACK_DEADLINE_INTERVAL_MS,
      });
      const deps: DispatchDeps = {
        db,
        broker,
        keyring,
        publicUrl: config.PINGBACK_PUBLIC_URL,
        pageSize: config.PINGBACK_FANOUT_PAGE_SIZE,
        adapters,
        rateLimits: createProviderRateLimits(redis, {
          perSecond: { telegram: config.PINGBACK_TELEGRAM_RATE_PER_SECOND, slack: config.PINGBACK_SLACK_RATE_PER_SECOND, discord: config.PINGBACK_DISCORD_RATE_PER_SECOND },
          maxWaitMs: RATE_LIMIT_MAX_WAIT_MS,
          onFailOpen: (error) => {
            metrics.redisFailOpen.inc({ operation: 'provider-rate-limit' });
            logger.warn({ err: error }, 'provider rate limit skipped: Redis did not answer');
          },
        }),
        kickOutbox: () => relay.kick(),
      };
      consumeNotificationRequested(broker, deps);
      consumeFanoutPages(broker, deps);
      consumeProviderDeliveries(broker, deps);
      consumeWebhookOutcomes(broker, deps);
      consumeMessageAnswered(broker, deps);
      return {
        database: prismaDatabase(db),
        redis,
        internalRoutes: internalRoutes(deps, {
          destinations: createDestinationRepository(db),
          endpoints: createEventEndpoints(db, keyring),
          viewDeliveries: config.PINGBACK_MESSAGE_VIEW_DELIVERIES,
        }),
        workers: [
          { name: 'outbox-relay', start: relay.start, stop: relay.stop },
          { name: 'escalation-clock', start: sweeper.start, stop: sweeper.stop },
          { name: 'provider-adapters', start: async () => undefined, stop: () => closeAdapters(adapters) },
        ],
      };
    },
  });
}
