import { secretKeyProblem } from '@pingback/security';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A bad key stops the service with the same one line as any other bad variable, before anything starts. */
function refineSecretKey(value: string, ctx: z.RefinementCtx): void {
  const problem = secretKeyProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/**
 * RABBITMQ_URL: one amqp(s) URL, or the nodes of a cluster comma-separated, which the broker tries in turn.
 * The message names the entry, never its text: a URL may carry a password.
 */
function refineAmqpUrls(value: string, ctx: z.RefinementCtx): void {
  const urls = value.split(',').map((url) => url.trim()).filter(Boolean);
  if (urls.length === 0) ctx.addIssue({ code: 'custom', message: 'no amqp:// URL given' });
  urls.forEach((url, index) => {
    const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
    if (protocol !== 'amqp:' && protocol !== 'amqps:') {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} of ${urls.length} is not an amqp:// or amqps:// URL` });
    }
  });
}

/** Variables every service reads (CONTRACT §8). Services extend this with their own. */
export const CommonConfig = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  REDIS_KEY_PREFIX: z.string().default('pb:'),
  RABBITMQ_URL: z.string().superRefine(refineAmqpUrls),
  PINGBACK_SECRET_KEY: z.string().superRefine(refineSecretKey),
  /**
   * Earlier values of PINGBACK_SECRET_KEY, comma-separated: what they made (token hashes, encrypted secrets,
   * links) still verifies while the current key makes everything new (CONTRACT §3).
   */
  PINGBACK_PREVIOUS_SECRET_KEYS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(z.string().superRefine(refineSecretKey))),
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535),
  /** Where the internal port listens: loopback unless the services run on separate hosts (containers). */
  INTERNAL_HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the public port listens: every interface by default, as a server does; `npm start` sets 127.0.0.1. */
  PUBLIC_HOST: z.string().min(1).default('0.0.0.0'),
  PINGBACK_RETRY_SCHEDULES: z.string().default(''),
  /** Pauses before retrying work that failed on our own infrastructure (`ms,ms,...`; default 1000,5000,30000). */
  PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: z.string().regex(/^(\d+(,\d+)*)?$/, 'a comma-separated list of milliseconds').default(''),
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().positive().default(10_000),
  PINGBACK_ALLOW_PRIVATE_TARGETS: booleanFlag,
  /** Postgres connections per process at most, and how many stay open when idle. */
  PINGBACK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PINGBACK_DB_POOL_WARM: z.coerce.number().int().min(0).max(200).default(2),
  /** How long work waits for a free connection when Postgres is busy (every connection in use). */
  PINGBACK_DB_POOL_WAIT_MS: z.coerce.number().int().positive().default(10_000),
  /** How long opening one connection may take before Postgres counts as down (fast 503 at the edge). */
  PINGBACK_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
});
export type CommonConfig = z.infer<typeof CommonConfig>;

export { booleanFlag };

/** Reads a duration in milliseconds with a default, e.g. `PINGBACK_READ_WINDOW_MS`. */
export const durationMs = (defaultMs: number) => z.coerce.number().int().nonnegative().default(defaultMs);
