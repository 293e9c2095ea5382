import type { Broker } from '@pingback/broker';
import type { InternalClient } from '@pingback/http';
import type { Keyring, Resolver } from '@pingback/security';
import type { Cooldowns } from '../../cache/cooldowns';
import type { FireIdempotency } from '../../cache/fire-idempotency';
import type { RateLimiter } from '../../cache/rate-limiter';
import type { ChannelRepository } from '../../data/channel.repository';
import type { IncomingWebhookRepository } from '../../data/incoming-webhook.repository';
import type { RoomPingRepository } from '../../data/room-ping.repository';
import type { RoomRepository } from '../../data/room.repository';
import type { ChangeAnnouncer } from '../../messaging/change-announcer';

/** What rooms need: their records, Redis's cooldowns and keys, the broker, and webhook-deliverer for the outgoing webhook. */
export interface RoomDeps {
  rooms: RoomRepository;
  incomingWebhooks: IncomingWebhookRepository;
  pings: RoomPingRepository;
  channels: ChannelRepository;
  cooldowns: Cooldowns;
  fireIdempotency: FireIdempotency;
  rateLimit: RateLimiter;
  broker: Broker;
  deliverer: InternalClient;
  changes: ChangeAnnouncer;
  keyring: Keyring;
  resolver?: Resolver;
  publicUrl: string;
  allowPrivateTargets: boolean;
  defaultExpiresInSeconds: number;
  secretOverlapMs: number;
  now: () => Date;
  roomConfig: RoomConfig;
}

export interface RoomConfig {
  /** Calls per minute per room and secret (seed 004: 60). */
  fireRatePerMinute: number;
  /** How long a fire's Idempotency-Key is remembered (seed 004: 1 hour). */
  idempotencyTtlMs: number;
  maxRoomsPerAccount: number;
  maxMembersPerRoom: number;
}
