import { Cron } from 'croner';

/** When a heartbeat is expected: every so often after its last ping, or at the slots of a cron expression in a time zone. */
export type Schedule = { intervalMs: number } | { cron: string; timezone: string };

/** croner reads 5 fields (minute first) or 6 (second first); no year field, as the seed's crontab lines. */
const CRON_MODE = '5-or-6-parts';

const cronOf = (cron: string, timezone: string) => new Cron(cron, { timezone, mode: CRON_MODE, paused: true });

/**
 * The first moment strictly after `after` at which the next ping is due: `after` + the interval, or the next cron slot
 * in the schedule's time zone (croner keeps daylight-saving rules: a fixed-time slot in a skipped hour runs when the
 * hour ends, one in a repeated hour runs once; `30 * * * *` runs in both passes of a repeated hour).
 */
export function nextDue(schedule: Schedule, after: Date): Date {
  if ('intervalMs' in schedule) return new Date(after.getTime() + schedule.intervalMs);
  const next = cronOf(schedule.cron, schedule.timezone).nextRun(after);
  if (!next) throw new Error(`the cron expression "${schedule.cron}" has no slot after ${after.toISOString()}`);
  return next;
}

/** The IANA name of `timezone` as the runtime spells it (`europe/berlin` → `Europe/Berlin`), or undefined when unknown. */
export function canonicalTimezone(timezone: string): string | undefined {
  // Offsets and abbreviations are not zones; Intl accepts a few such names, croner may not.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(timezone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Why `cron` cannot schedule a heartbeat in `timezone` (checked from `from`), or undefined when it can. */
export function cronProblem(cron: string, timezone: string, from: Date): string | undefined {
  let job: Cron;
  try {
    job = cronOf(cron, timezone);
  } catch (error) {
    return `not a cron expression of 5 or 6 fields: ${error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)}`;
  }
  try {
    if (!job.nextRun(from)) return 'has no time at which it would be due';
  } catch {
    return 'cannot be evaluated in this time zone';
  }
  return undefined;
}
