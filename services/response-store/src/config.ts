import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

export const Config = CommonConfig.extend({
  PINGBACK_PUBLIC_URL: z.string().url(),
  /** How long an answer stays readable once (CONTRACT §5: 10 minutes). */
  PINGBACK_READ_WINDOW_MS: durationMs(10 * 60_000),
  PINGBACK_OUTBOX_INTERVAL_MS: durationMs(500),
  /**
   * How long a respond link opened before its message is recorded waits for the record before answering 503
   * (under the gateway's 7 s for a link call).
   */
  PINGBACK_LINK_RECORD_WAIT_MS: durationMs(5_000),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
