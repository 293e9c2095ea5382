import type { Broker } from '@pingback/broker';
import type { InternalClient } from '@pingback/http';
import type { WebhookSigner } from '@pingback/contracts';
import type { Keyring, Resolver } from '@pingback/security';
import type { CredentialFailures } from './cache/credential-failures';
import type { RateLimiter } from './cache/rate-limiter';
import type { AccountRepository } from './data/account.repository';
import type { ChannelRepository } from './data/channel.repository';

/** Everything the gateway's routes need, built in main.ts (or a test) and passed down. */
export interface GatewayDeps {
  accounts: AccountRepository;
  channels: ChannelRepository;
  broker: Broker;
  keyring: Keyring;
  rateLimit: RateLimiter;
  /** Counts failed credentials per family and client address; 429 past the limit (CONTRACT §4). */
  credentialFailures: CredentialFailures;
  responseStore: InternalClient;
  dispatcher: InternalClient;
  resolver?: Resolver;
  now: () => Date;
  publicUrl: string;
  adminKey: string;
  allowPrivateTargets: boolean;
  defaultExpiresInSeconds: number;
  secretOverlapMs: number;
  /** Publishes signer.rotated: webhook-deliverer drops the channel's cached secrets. */
  signerChanged(signer: WebhookSigner): Promise<void>;
  config: { sendRatePerMinute: number; pollRatePerMinute: number };
}
