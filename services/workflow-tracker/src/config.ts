import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

/** workflow-tracker's variables. It keeps no Redis state: the gateway rate-limits pings before they arrive. */
export const Config = CommonConfig.omit({ REDIS_URL: true, REDIS_KEY_PREFIX: true }).extend({
  /** Alerts link to the state they are about on this address (the gateway's). */
  PINGBACK_PUBLIC_URL: z.string().url(),
  /** The gateway's internal port: which channels an account has, when a workflow or monitor names alert channels. */
  GATEWAY_INTERNAL_URL: z.string().url().default('http://127.0.0.1:9101'),
  PINGBACK_OUTBOX_INTERVAL_MS: durationMs(500),
  /** How often each copy looks for due clocks (stage time-outs, grace periods, heartbeats) when none woke it sooner. */
  PINGBACK_DEADLINE_INTERVAL_MS: durationMs(1_000),
  /** How many due clocks one pass takes at most (each in its own transaction, locked FOR UPDATE SKIP LOCKED). */
  PINGBACK_DEADLINE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How long an alert's message can be answered (acknowledged) on its respond link. */
  PINGBACK_ALERT_EXPIRES_IN_MS: durationMs(7 * 24 * 60 * 60 * 1000),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
