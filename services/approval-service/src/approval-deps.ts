import type { InternalClient } from '@pingback/http';
import type { Keyring } from '@pingback/security';
import type { ApprovalsDb } from './data/prisma';
import type { DecisionWaiters } from './domain/decision-waiters';

/** Everything approval-service's routes, clocks and consumers need, built in start-approval-service.ts (or a test). */
export interface ApprovalDeps {
  db: ApprovalsDb;
  keyring: Keyring;
  /** The gateway's public address: decision links point at it. */
  publicUrl: string;
  /** The gateway's internal port: which channels an account has. */
  gateway: InternalClient;
  allowPrivateTargets: boolean;
  /** How long the note that an approval was decided stays answerable in a reviewer's inbox. */
  decidedNoteExpiresInMs: number;
  /** Publishes the outbox now rather than at its next interval (after a commit that added messages). */
  kickOutbox: () => void;
  /** Wakes the polls waiting on approvals (`?wait=`), in this copy and every other. */
  waiters: DecisionWaiters;
  now: () => Date;
}
