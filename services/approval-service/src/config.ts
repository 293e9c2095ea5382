import { CommonConfig, durationMs, parseConfig } from '@pingback/config';
import { z } from 'zod';

/** approval-service's variables. Redis carries the wake-ups of polls that wait for a decision (`?wait=`). */
export const Config = CommonConfig.extend({
  /** Decision links and the notes to reviewers point at this address (the gateway's). */
  PINGBACK_PUBLIC_URL: z.string().url(),
  /** The gateway's internal port: which channels an account has, when a reviewer names theirs. */
  GATEWAY_INTERNAL_URL: z.string().url().default('http://127.0.0.1:9101'),
  PINGBACK_OUTBOX_INTERVAL_MS: durationMs(500),
  /** How often each copy looks for due clocks (time-outs, reminders) when none woke it sooner. */
  PINGBACK_DEADLINE_INTERVAL_MS: durationMs(250),
  PINGBACK_DEADLINE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  /**
   * A poll that waits (`?wait=`) reads the approval again this often even if no wake-up came: a lost wake-up
   * (Redis down, a copy restarting) costs at most this much delay, never a wrong answer.
   */
  PINGBACK_APPROVAL_WAIT_RECHECK_MS: durationMs(5_000),
  /** How long the note telling reviewers an approval was decided stays in their inbox. */
  PINGBACK_DECIDED_NOTE_EXPIRES_IN_MS: durationMs(24 * 60 * 60_000),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
