import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

/** webhook-deliverer uses no Redis: Postgres holds every delivery, the broker its schedule. */
export const Config = CommonConfig.omit({ REDIS_URL: true, REDIS_KEY_PREFIX: true }).extend({
  /** Each attempt's limit for connect, send, headers and body (CONTRACT §6: 10 s). */
  PINGBACK_WEBHOOK_TIMEOUT_MS: durationMs(10_000).pipe(z.number().int().positive()),
  /** The gateway's internal port: it owns channels and answers which secrets sign for one. */
  GATEWAY_INTERNAL_URL: z.string().url().default('http://127.0.0.1:9101'),
  /** Keeps the secrets of event endpoints. */
  DISPATCHER_URL: z.string().url().default('http://127.0.0.1:9102'),
  /** Open connections per receiving origin at most (kept alive between POSTs). */
  PINGBACK_WEBHOOK_SOCKETS_PER_ORIGIN: z.coerce.number().int().min(1).max(1024).default(64),
  /**
   * How long a signer's secrets are reused without asking their owner again. A safety net: the owner's
   * `signer.rotated` drops them at once, and so does every broker reconnect.
   */
  PINGBACK_SIGNER_CACHE_TTL_MS: durationMs(5 * 60_000).pipe(z.number().int().positive()),
  /**
   * Failed attempts in a row that switch a registered endpoint off (issue 13; a 410 switches it off at once). Its
   * owner enables it again.
   */
  PINGBACK_ENDPOINT_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(15),
  /** Longer than one attempt's timeout, so a SIGTERM lets the POSTs in flight finish and record their outcome. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().positive().default(15_000),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
