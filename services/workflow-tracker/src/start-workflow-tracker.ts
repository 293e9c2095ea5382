import { prismaDatabase } from '@pingback/db';
import { createDeadlineSweeper } from '@pingback/durable';
import { createInternalClient } from '@pingback/http';
import type { Logger } from '@pingback/observability';
import { createBrokerOutboxRelay, databaseOptions, runService, type RunningService } from '@pingback/runtime';
import { createKeyring, internalCallCredential, type Resolver } from '@pingback/security';
import type { Config } from './config';
import { trackerDeadlines, trackerOutbox } from './data/durable-tables';
import { createTrackerDb } from './data/prisma';
import { resolveAcknowledged } from './domain/costs/cost-alerts';
import { monitorAlertAcknowledged } from './domain/monitors/acknowledged';
import { monitorClocks } from './domain/monitors/clocks';
import { processClocks } from './domain/process-hooks/clocks';
import { workflowClocks } from './domain/workflows/clocks';
import { internalRoutes } from './http/internal.routes';
import { consumeMessageAnswered, type AcknowledgedHook } from './messaging/message-answered.consumer';
import type { TrackerDeps } from './tracker-deps';

export const SERVICE = 'workflow-tracker';

export interface WorkflowTrackerOptions {
  logger?: Logger;
  /** Tests pass a clock; the durable clock itself always reads the database's now(). */
  now?: () => Date;
  /** Resolves an events_url's host when it is set (tests inject one). */
  resolver?: Resolver;
}

/**
 * Owns seed 002: static and dynamic workflows with their instances and stages, process hooks with their runs,
 * heartbeat monitors with their pings, and the alerts they raise. Its clocks (stage time-outs, grace periods,
 * process maximums, heartbeat deadlines, repeated alerts) are rows in Postgres that any copy sweeps; alerts go to
 * the notification-dispatcher through the outbox, in the transaction that changed the state they report.
 */
export function startWorkflowTracker(config: Config, options: WorkflowTrackerOptions = {}): Promise<RunningService> {
  return runService({
    name: SERVICE,
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    build: ({ logger, metrics, broker }) => {
      const db = createTrackerDb(config.DATABASE_URL, databaseOptions(config, metrics));
      const keyring = createKeyring(config.PINGBACK_SECRET_KEY, config.PINGBACK_PREVIOUS_SECRET_KEYS);
      const relay = createBrokerOutboxRelay({ db, outbox: trackerOutbox, broker, logger, intervalMs: config.PINGBACK_OUTBOX_INTERVAL_MS });
      const deps: TrackerDeps = {
        db,
        alerts: { keyring, publicUrl: config.PINGBACK_PUBLIC_URL, alertExpiresInMs: config.PINGBACK_ALERT_EXPIRES_IN_MS },
        gateway: createInternalClient(config.GATEWAY_INTERNAL_URL, { credential: internalCallCredential(keyring), metrics: { registry: metrics.registry, target: 'ingest-gateway' } }),
        allowPrivateTargets: config.PINGBACK_ALLOW_PRIVATE_TARGETS,
        ...(options.resolver ? { resolver: options.resolver } : {}),
        kickOutbox: () => relay.kick(),
        now: options.now ?? (() => new Date()),
      };
      const sweeper = createDeadlineSweeper({
        db,
        deadlines: trackerDeadlines,
        handlers: { ...workflowClocks(deps), ...processClocks(deps), ...monitorClocks(deps) },
        logger,
        intervalMs: config.PINGBACK_DEADLINE_INTERVAL_MS,
        batchSize: config.PINGBACK_DEADLINE_BATCH_SIZE,
      });
      const monitorAcknowledged = monitorAlertAcknowledged(deps);
      const onAcknowledged: AcknowledgedHook = async (tx, alert) => {
        await resolveAcknowledged(tx, alert.id, deps.now());
        await monitorAcknowledged(tx, alert);
      };
      consumeMessageAnswered(broker, { db, now: deps.now, onAcknowledged });
      return {
        database: prismaDatabase(db),
        internalRoutes: internalRoutes(deps, onAcknowledged),
        workers: [
          { name: 'outbox-relay', start: relay.start, stop: relay.stop },
          { name: 'tracker-clock', start: sweeper.start, stop: sweeper.stop },
        ],
      };
    },
  });
}
