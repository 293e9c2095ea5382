import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
const perSecond = (fallback: number) => z.coerce.number().positive().default(fallback);

/**
 * The dispatcher's variables. A provider is configured by its variables (APNs by its key, email by
 * PINGBACK_SMTP_URL, …); destinations of a provider that is not configured are refused when registered.
 * Provider base URLs are the operator's and trusted (CONTRACT §6): tests point them at local fakes.
 */
export const Config = CommonConfig.extend({
  PINGBACK_PUBLIC_URL: z.string().url(),
  PINGBACK_OUTBOX_INTERVAL_MS: durationMs(500),
  PINGBACK_DEADLINE_INTERVAL_MS: durationMs(1_000),
  /** Destinations per fan-out page: one transaction and one round of publishes each. */
  PINGBACK_FANOUT_PAGE_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Each provider attempt's time limit (CONTRACT §6: 10 s). */
  PINGBACK_PROVIDER_TIMEOUT_MS: durationMs(10_000),
  /** Deliveries listed by GET /api/messages/{id}; the rest are counted. */
  PINGBACK_MESSAGE_VIEW_DELIVERIES: z.coerce.number().int().min(1).max(10_000).default(100),

  PINGBACK_APNS_KEY: optional,
  PINGBACK_APNS_KEY_ID: optional,
  PINGBACK_APNS_TEAM_ID: optional,
  PINGBACK_APNS_TOPIC: optional,
  PINGBACK_APNS_URL: z.string().url().default('https://api.push.apple.com'),
  /** A PEM to trust for the APNs connection (a test's local server); Apple's certificate needs none. */
  PINGBACK_APNS_CA: optional,

  /** smtp://user:password@host:port (smtps:// for TLS from the start). */
  PINGBACK_SMTP_URL: optional,
  PINGBACK_EMAIL_FROM: z.string().default('Pingback <pingback@localhost>'),

  PINGBACK_TELEGRAM_BOT_TOKEN: optional,
  PINGBACK_TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),

  PINGBACK_PAGERDUTY_URL: z.string().url().default('https://events.pagerduty.com'),

  PINGBACK_VAPID_PUBLIC_KEY: optional,
  PINGBACK_VAPID_PRIVATE_KEY: optional,
  PINGBACK_VAPID_SUBJECT: z.string().default('mailto:pingback@localhost'),

  /** Shared by every dispatcher copy through Redis: Telegram's limit per bot, Slack's and Discord's per webhook URL. */
  PINGBACK_TELEGRAM_RATE_PER_SECOND: perSecond(30),
  PINGBACK_SLACK_RATE_PER_SECOND: perSecond(1),
  PINGBACK_DISCORD_RATE_PER_SECOND: perSecond(2),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
