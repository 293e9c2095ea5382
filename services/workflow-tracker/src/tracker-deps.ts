import type { InternalClient } from '@pingback/http';
import type { Resolver } from '@pingback/security';
import type { TrackerDb } from './data/prisma';
import type { AlertDeps } from './domain/alerts';

/** Everything the tracker's routes, clocks and consumers need, built in start-workflow-tracker.ts (or a test). */
export interface TrackerDeps {
  db: TrackerDb;
  alerts: AlertDeps;
  /** The gateway's internal port: which channels an account has. */
  gateway: InternalClient;
  /** A workflow's events_url may be http, another port or a private address (development and tests only). */
  allowPrivateTargets: boolean;
  /** How an events_url's host is resolved when it is set (tests inject one: no test resolves a real name). */
  resolver?: Resolver;
  /** Publishes the outbox now rather than at its next interval (after a commit that added alerts). */
  kickOutbox: () => void;
  now: () => Date;
}
