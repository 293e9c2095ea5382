import { prismaDatabase } from '@pingback/db';
import type { Logger } from '@pingback/observability';
import { databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring } from '@pingback/security';
import type { Config } from './config';
import { createDeliveryRepository } from './data/delivery.repository';
import { createDispatcherDb } from './data/prisma';
import { internalRoutes } from './http/internal.routes';
import { consumeNotificationRequested } from './messaging/notification-requested.consumer';
import { consumeWebhookOutcomes } from './messaging/webhook-outcome.consumer';

export const SERVICE = 'notification-dispatcher';

/** Plans and hands out every delivery of a recorded message, and follows each one's outcome. */
export function startDispatcher(config: Config, options: { logger?: Logger } = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...options,
    build: ({ metrics, broker }) => {
      const db = createDispatcherDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const repo = createDeliveryRepository(db);
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      consumeNotificationRequested(broker, { repo, keyring, publicUrl: config.PINGBACK_PUBLIC_URL });
      consumeWebhookOutcomes(broker, repo);
      return {
        database: prismaDatabase(db),
        internalRoutes: internalRoutes({ repo, keyring, publicUrl: config.PINGBACK_PUBLIC_URL }),
      };
    },
  });
}
