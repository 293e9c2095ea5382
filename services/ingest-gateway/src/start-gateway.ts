import { loadLimits } from '@pingback/contracts';
import { prismaDatabase } from '@pingback/db';
import { createInternalClient } from '@pingback/http';
import type { Logger } from '@pingback/observability';
import { createRedis } from '@pingback/redis';
import { databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring, internalCallCredential, type Resolver } from '@pingback/security';
import { createChannelCache } from './cache/channel-cache';
import { createCredentialFailures } from './cache/credential-failures';
import { createRateLimiter } from './cache/rate-limiter';
import type { Config } from './config';
import { createDashboardSessionRepository } from './data/dashboard-session.repository';
import { createAccountRepository } from './data/account.repository';
import { createChannelRepository } from './data/channel.repository';
import { createIncomingWebhookRepository } from './data/incoming-webhook.repository';
import { createRoomPingRepository } from './data/room-ping.repository';
import { createRoomRepository } from './data/room.repository';
import { createCooldowns } from './cache/cooldowns';
import { createFireIdempotency } from './cache/fire-idempotency';
import { createGatewayDb } from './data/prisma';
import { createGatewayApp } from './gateway';
import { internalRoutes } from './http/internal.routes';
import { createChangeAnnouncer } from './messaging/change-announcer';
import { consumeChannelChanged } from './messaging/channel-changed.consumer';

export const SERVICE = 'ingest-gateway';

/** Channels kept in memory per process: the least recently used beyond this are read again when next used. */
const CHANNEL_CACHE_ENTRIES = 10_000;

export interface GatewayOptions {
  logger?: Logger;
  /** Resolves the host names of registered URLs (default: the system's). Tests pass one that knows only loopback. */
  resolver?: Resolver;
  now?: () => Date;
}

const EDGE_CONFIRM_TIMEOUT_MS = 1_000;

/** The public edge: every public route, and the channel secrets other services ask for on the internal port. */
export function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningService> {
  const now = options.now ?? (() => new Date());
  return runService({
    name: SERVICE,
    config,
    // The edge: a send answers 503 within 2 s when the broker does not confirm (CONTRACT §2).
    confirmTimeoutMs: EDGE_CONFIRM_TIMEOUT_MS,
    ...(options.logger ? { logger: options.logger } : {}),
    build: ({ logger, metrics, broker }) => {
      const limits = loadLimits();
      const db = createGatewayDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
      const channels = createChannelRepository(db);
      const channelCache = createChannelCache(channels.findByTokenHash, {
        ttlMs: config.PINGBACK_CHANNEL_CACHE_TTL_MS,
        maxEntries: CHANNEL_CACHE_ENTRIES,
        now: () => Date.now(),
      });
      consumeChannelChanged(broker, channelCache);
      const rooms = createRoomRepository(db);
      const redisFailOpen = { redis, logger, failOpen: metrics.redisFailOpen };
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      const internalCall = { credential: internalCallCredential(keyring) };
      const accounts = createAccountRepository(db);
      const dashboardSessions = createDashboardSessionRepository(db);
      const app = createGatewayApp(
        {
          accounts,
          dashboardSessions,
          dashboardSessionTtlMs: config.PINGBACK_DASHBOARD_SESSION_TTL_MS,
          channels,
          rooms,
          incomingWebhooks: createIncomingWebhookRepository(db),
          pings: createRoomPingRepository(db),
          cooldowns: createCooldowns(redisFailOpen),
          // A fire holding a key answers within the edge's few seconds; those waiting on it give up a little later.
          fireIdempotency: createFireIdempotency(redisFailOpen, { ttlMs: config.PINGBACK_ROOM_IDEMPOTENCY_TTL_MS, waitMs: 15_000 }),
          roomConfig: {
            fireRatePerMinute: config.PINGBACK_ROOM_FIRE_RATE_PER_MINUTE,
            idempotencyTtlMs: config.PINGBACK_ROOM_IDEMPOTENCY_TTL_MS,
            maxRoomsPerAccount: config.PINGBACK_MAX_ROOMS_PER_ACCOUNT,
            maxMembersPerRoom: config.PINGBACK_MAX_ROOM_MEMBERS,
          },
          broker,
          keyring,
          rateLimit: createRateLimiter({ redis, logger, failOpen: metrics.redisFailOpen }),
          credentialFailures: createCredentialFailures({ redis, logger, failOpen: metrics.redisFailOpen, limitPerMinute: config.PINGBACK_AUTH_FAILURES_PER_MINUTE }),
          responseStore: createInternalClient(config.RESPONSE_STORE_URL, { ...internalCall, metrics: { registry: metrics.registry, target: 'response-store' } }),
          dispatcher: createInternalClient(config.DISPATCHER_URL, { ...internalCall, metrics: { registry: metrics.registry, target: 'notification-dispatcher' } }),
          deliverer: createInternalClient(config.DELIVERER_URL, { ...internalCall, metrics: { registry: metrics.registry, target: 'webhook-deliverer' } }),
          trackerUrl: config.TRACKER_URL,
          trackerTimeoutMs: config.PINGBACK_TRACKER_TIMEOUT_MS,
          approvalsUrl: config.APPROVALS_URL,
          approvalsTimeoutMs: config.PINGBACK_APPROVALS_TIMEOUT_MS,
          approvals: createInternalClient(config.APPROVALS_URL, { ...internalCall, metrics: { registry: metrics.registry, target: 'approval-service' } }),
          internalCallCredential: internalCall.credential,
          ...(options.resolver ? { resolver: options.resolver } : {}),
          now,
          publicUrl: config.PINGBACK_PUBLIC_URL,
          adminKey: config.PINGBACK_ADMIN_KEY,
          allowPrivateTargets: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
          defaultExpiresInSeconds: limits.defaultExpiresInSeconds,
          secretOverlapMs: config.PINGBACK_SECRET_ROTATION_OVERLAP_MS,
          channelLookup: channelCache,
          changes: createChangeAnnouncer(broker, logger, channelCache.forget),
          maxDestinations: config.PINGBACK_MAX_DESTINATIONS_PER_CHANNEL,
          ...(config.PINGBACK_VAPID_PUBLIC_KEY ? { vapidPublicKey: config.PINGBACK_VAPID_PUBLIC_KEY } : {}),
          ...(config.PINGBACK_TELEGRAM_BOT_TOKEN && config.PINGBACK_TELEGRAM_WEBHOOK_SECRET
            ? { telegramBot: { token: config.PINGBACK_TELEGRAM_BOT_TOKEN, apiUrl: config.PINGBACK_TELEGRAM_API_URL, webhookSecret: config.PINGBACK_TELEGRAM_WEBHOOK_SECRET } }
            : {}),
          config: {
            sendRatePerMinute: config.PINGBACK_SEND_RATE_PER_MINUTE,
            pollRatePerMinute: config.PINGBACK_POLL_RATE_PER_MINUTE,
            seed002RatePerMinute: config.PINGBACK_SEED002_RATE_PER_MINUTE,
          },
        },
        { logger, httpDuration: metrics.httpDuration, limits },
      );
      return {
        database: prismaDatabase(db),
        redis,
        internalRoutes: internalRoutes({ channels, rooms, accounts, keyring, now }),
        publicApp: { app, port: config.PORT },
      };
    },
  });
}
