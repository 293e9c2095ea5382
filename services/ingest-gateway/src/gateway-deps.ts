import type { Broker } from '@pingback/broker';
import type { InternalClient } from '@pingback/http';
import type { Keyring, Resolver } from '@pingback/security';
import type { ChannelCache } from './cache/channel-cache';
import type { CredentialFailures } from './cache/credential-failures';
import type { RateLimiter } from './cache/rate-limiter';
import type { AccountRepository } from './data/account.repository';
import type { DashboardSessionRepository } from './data/dashboard-session.repository';
import type { ChannelRepository } from './data/channel.repository';
import type { TelegramBot } from './http/telegram.routes';
import type { ChangeAnnouncer } from './messaging/change-announcer';
import type { RoomDeps } from './domain/rooms/room-deps';

/** Everything the gateway's routes need, built in main.ts (or a test) and passed down. */
export interface GatewayDeps extends Omit<RoomDeps, 'resolver'> {
  accounts: AccountRepository;
  dashboardSessions: DashboardSessionRepository;
  /** PINGBACK_DASHBOARD_SESSION_TTL_MS: how long a dashboard sign-in lasts. */
  dashboardSessionTtlMs: number;
  channels: ChannelRepository;
  broker: Broker;
  keyring: Keyring;
  rateLimit: RateLimiter;
  /** Counts failed credentials per family and client address; 429 past the limit (CONTRACT §4). */
  credentialFailures: CredentialFailures;
  responseStore: InternalClient;
  dispatcher: InternalClient;
  /** webhook-deliverer: every outgoing POST (callbacks, delivery events, webhook destinations). */
  deliverer: InternalClient;
  /** workflow-tracker's internal address: seed 002's routes are forwarded there as they are. */
  trackerUrl: string;
  trackerTimeoutMs: number;
  /** approval-service's internal address: approvals and reviewers are forwarded there; decision links ask it. */
  approvalsUrl: string;
  approvalsTimeoutMs: number;
  approvals: InternalClient;
  /** The internal-call credential a forwarded request carries. Never logged. */
  internalCallCredential: string;
  resolver?: Resolver;
  now: () => Date;
  publicUrl: string;
  adminKey: string;
  allowPrivateTargets: boolean;
  defaultExpiresInSeconds: number;
  secretOverlapMs: number;
  /** Reads channels by token hash for the send and poll routes, from memory when it can. */
  channelLookup: Pick<ChannelCache, 'findByTokenHash'>;
  /** Announces channel changes to the processes that cache them. */
  changes: ChangeAnnouncer;
  /** Destinations per channel at most (PINGBACK_MAX_DESTINATIONS_PER_CHANNEL). */
  maxDestinations: number;
  /** PINGBACK_VAPID_PUBLIC_KEY: when set, the inbox page offers to notify the device by web push. */
  vapidPublicKey?: string;
  /** The operator's Telegram bot, when configured: its button presses answer messages. */
  telegramBot?: TelegramBot;
  config: { sendRatePerMinute: number; pollRatePerMinute: number; seed002RatePerMinute: number };
}
