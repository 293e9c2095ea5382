import type { Broker } from '@pingback/broker';
import type { Keyring } from '@pingback/security';
import type { Adapters } from './adapters/adapters';
import type { DispatcherDb } from './data/prisma';
import type { ProviderRateLimits } from './domain/provider-rate-limits';

/** What the dispatcher's consumers and routes share. */
export interface DispatchDeps {
  db: DispatcherDb;
  broker: Broker;
  keyring: Keyring;
  publicUrl: string;
  pageSize: number;
  adapters: Adapters;
  rateLimits: ProviderRateLimits;
  /** Publish the outbox now rather than at the relay's next round. */
  kickOutbox(): void;
}
