import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

export const Config = CommonConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PINGBACK_ADMIN_KEY: z.string().min(16),
  PINGBACK_PUBLIC_URL: z.string().url(),
  RESPONSE_STORE_URL: z.string().url().default('http://127.0.0.1:9103'),
  DISPATCHER_URL: z.string().url().default('http://127.0.0.1:9102'),
  /** webhook-deliverer's internal port: it lists the account's outgoing POSTs and re-sends failed ones. */
  DELIVERER_URL: z.string().url().default('http://127.0.0.1:9106'),
  /** workflow-tracker's internal port: seed 002's routes are forwarded there. */
  TRACKER_URL: z.string().url().default('http://127.0.0.1:9104'),
  /** How long a forwarded seed 002 request may take at the tracker before the caller gets 503. */
  PINGBACK_TRACKER_TIMEOUT_MS: durationMs(5_000),
  /** approval-service's internal port: seed 002's approval routes and the reviewers are forwarded there. */
  APPROVALS_URL: z.string().url().default('http://127.0.0.1:9105'),
  /** How long a forwarded approval request may take (beyond the `?wait=` it asked for) before the caller gets 503. */
  PINGBACK_APPROVALS_TIMEOUT_MS: durationMs(5_000),
  /** Seed 002's routes (stage pings, heartbeats, process hooks, their management): requests a minute per account. */
  PINGBACK_SEED002_RATE_PER_MINUTE: z.coerce.number().int().positive().default(1_200),
  PINGBACK_SEND_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
  PINGBACK_POLL_RATE_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  /** Failed credentials one client address may make in a route family within a minute (CONTRACT §4). */
  PINGBACK_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
  PINGBACK_SECRET_ROTATION_OVERLAP_MS: durationMs(24 * 60 * 60_000),
  /** How long a dashboard sign-in lasts; signing in again starts a new one. */
  PINGBACK_DASHBOARD_SESSION_TTL_MS: durationMs(12 * 60 * 60_000).pipe(z.number().int().positive()),
  /** A safety net only: a change is announced to every gateway process at once (channel.changed). */
  PINGBACK_CHANNEL_CACHE_TTL_MS: durationMs(60_000).pipe(z.number().int().positive()),
  /** Destinations per channel at most: ten thousand, for high-volume fan-out. */
  PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Seed 004: calls per minute per room and incoming-webhook secret. */
  PINGBACK_ROOM_FIRE_RATE_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Seed 004: how long a fire's Idempotency-Key replays its first answer. */
  PINGBACK_ROOM_IDEMPOTENCY_TTL_MS: durationMs(60 * 60_000).pipe(z.number().int().positive()),
  PINGBACK_MAX_ROOMS_PER_ACCOUNT: z.coerce.number().int().positive().default(1_000),
  /** Member channels per room: each ping publishes one message per member before it answers. */
  PINGBACK_MAX_ROOM_MEMBERS: z.coerce.number().int().positive().max(1_000).default(100),
  /** The operator's Telegram bot (the dispatcher's PINGBACK_TELEGRAM_BOT_TOKEN): presses of its buttons answer messages. */
  PINGBACK_TELEGRAM_BOT_TOKEN: z.string().optional(),
  PINGBACK_TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  /** The dispatcher's VAPID public key: the inbox page's "notify me" button subscribes browsers with it. */
  PINGBACK_VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'the base64url P-256 public key').optional(),
  /** The secret path of `/v1/telegram/{secret}`, given to Telegram's setWebhook (also as its secret_token). */
  PINGBACK_TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16 to 256 characters of A-Z, a-z, 0-9, _ or -').optional(),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
