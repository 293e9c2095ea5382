import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

export const Config = CommonConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PINGBACK_ADMIN_KEY: z.string().min(16),
  PINGBACK_PUBLIC_URL: z.string().url(),
  RESPONSE_STORE_URL: z.string().url().default('http://127.0.0.1:9103'),
  DISPATCHER_URL: z.string().url().default('http://127.0.0.1:9102'),
  PINGBACK_SEND_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
  PINGBACK_POLL_RATE_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  /** Failed credentials one client address may make in a route family within a minute (CONTRACT §4). */
  PINGBACK_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
  PINGBACK_SECRET_ROTATION_OVERLAP_MS: durationMs(24 * 60 * 60_000),
  /** A safety net only: a change is announced to every gateway process at once (channel.changed). */
  PINGBACK_CHANNEL_CACHE_TTL_MS: durationMs(60_000).pipe(z.number().int().positive()),
  /** Webhook destinations per channel at most (a deployment for high-volume fan-out raises it). */
  PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: z.coerce.number().int().min(1).max(100_000).default(20),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
