import { prismaDatabase } from '@pingback/db';
import { createDeadlineSweeper } from '@pingback/durable';
import { createInternalClient } from '@pingback/http';
import type { Logger } from '@pingback/observability';
import { createRedis } from '@pingback/redis';
import { createBrokerOutboxRelay, databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring, internalCallCredential } from '@pingback/security';
import type { ApprovalDeps } from './approval-deps';
import type { Config } from './config';
import { approvalDeadlines, approvalsOutbox } from './data/durable-tables';
import { createApprovalsDb } from './data/prisma';
import { approvalClocks } from './domain/approval-clock';
import { createDecisionWaiters } from './domain/decision-waiters';
import { internalRoutes } from './http/internal.routes';
import { consumeMessageAnswered } from './messaging/message-answered.consumer';

export const SERVICE = 'approval-service';

export interface ApprovalServiceOptions {
  logger?: Logger;
  /** Tests pass a clock; the decision rule itself always reads the database's clock. */
  now?: () => Date;
}

/**
 * Owns seed 002's approvals: a human decision with a deadline. Reviewers are asked through the
 * notification-dispatcher (outbox); a decision comes by API, by a reviewer's signed link, or as the answer to their
 * message; the time-out and the 80 % reminder are rows in Postgres that any copy sweeps. Redis only wakes polls
 * that wait for a decision.
 */
export function startApprovalService(config: Config, options: ApprovalServiceOptions = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    build: ({ logger, metrics, broker }) => {
      const db = createApprovalsDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
      const waiters = createDecisionWaiters({
        publisher: redis,
        subscriber: createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger }),
        // Pub/sub channels are not keys: the prefix is added here, so deployments sharing a Redis stay apart.
        channel: `${config.REDIS_KEY_PREFIX}approvals:decided`,
        logger,
      });
      const relay = createBrokerOutboxRelay({ db, outbox: approvalsOutbox, broker, logger, intervalMs: config.PINGBACK_OUTBOX_INTERVAL_MS });
      const deps: ApprovalDeps = {
        db,
        keyring,
        publicUrl: config.PINGBACK_PUBLIC_URL,
        gateway: createInternalClient(config.GATEWAY_INTERNAL_URL, { credential: internalCallCredential(keyring), metrics: { registry: metrics.registry, target: 'ingest-gateway' } }),
        allowPrivateTargets: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
        decidedNoteExpiresInMs: config.PINGBACK_DECIDED_NOTE_EXPIRES_IN_MS,
        kickOutbox: () => relay.kick(),
        waiters,
        now: options.now ?? (() => new Date()),
      };
      const sweeper = createDeadlineSweeper({
        db,
        deadlines: approvalDeadlines,
        handlers: approvalClocks(deps),
        logger,
        intervalMs: config.PINGBACK_DEADLINE_INTERVAL_MS,
        batchSize: config.PINGBACK_DEADLINE_BATCH_SIZE,
      });
      consumeMessageAnswered(broker, deps);
      return {
        database: prismaDatabase(db),
        redis,
        releaseWaitingRequests: () => waiters.release(),
        internalRoutes: internalRoutes(deps, { recheckMs: config.PINGBACK_APPROVAL_WAIT_RECHECK_MS }),
        workers: [
          { name: 'decision-waiters', start: waiters.start, stop: waiters.stop },
          { name: 'outbox-relay', start: relay.start, stop: relay.stop },
          { name: 'approval-clock', start: sweeper.start, stop: sweeper.stop },
        ],
      };
    },
  });
}
