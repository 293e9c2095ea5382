import { invalidField } from '../domain-errors';
import type { MonitorRow } from './monitor-row';
import { canonicalTimezone, cronProblem, type Schedule } from './schedule';

/** A schedule as a request gives it: an interval, or a cron expression with a time zone (each may be left out). */
export interface ScheduleInput {
  intervalMs?: number | null;
  cron?: string | null;
  timezone?: string;
}

const ONLY_CRON_HAS_A_ZONE = 'only a cron schedule has a time zone';

/**
 * The schedule a request asks for. Without `current` (create, replace) exactly one of interval and cron is given,
 * the zone defaulting to UTC. With `current` (a partial update): an interval or a cron expression replaces the
 * schedule (a cron expression keeps the current zone unless one is given), a zone alone moves a cron schedule.
 * A zone with an interval (given with it, or alone for an interval monitor) is refused, whatever the route.
 */
export function resolveSchedule(input: ScheduleInput, current: Pick<MonitorRow, 'intervalMs' | 'cron' | 'timezone'> | null, now: Date): Schedule {
  const interval = input.intervalMs ?? null;
  const cron = input.cron ?? null;
  if (interval !== null && cron !== null) throw invalidField('cron', 'give either interval_seconds or cron, not both');
  const timezone = input.timezone === undefined ? undefined : canonicalTimezone(input.timezone);
  if (input.timezone !== undefined && timezone === undefined) {
    throw invalidField('timezone', `unknown time zone "${input.timezone}": use an IANA name such as Europe/Berlin or America/New_York`);
  }
  if (interval !== null) {
    // An interval counts from the last ping, in no zone: a zone given with it would be dropped without a word.
    if (input.timezone !== undefined) throw invalidField('timezone', ONLY_CRON_HAS_A_ZONE);
    return { intervalMs: interval };
  }
  if (cron !== null) return checkedCron(cron, timezone ?? (current?.cron ? current.timezone : 'UTC'), now);
  if (current === null) throw invalidField('interval_seconds', 'give either interval_seconds or cron');
  if (timezone === undefined) return current.intervalMs !== null ? { intervalMs: current.intervalMs } : { cron: current.cron ?? '', timezone: current.timezone };
  if (current.cron === null) throw invalidField('timezone', ONLY_CRON_HAS_A_ZONE);
  return checkedCron(current.cron, timezone, now);
}

function checkedCron(cron: string, timezone: string, now: Date): Schedule {
  const problem = cronProblem(cron, timezone, now);
  if (problem) throw invalidField('cron', problem);
  return { cron, timezone };
}

export const sameSchedule = (a: Schedule, b: Schedule): boolean =>
  'intervalMs' in a ? 'intervalMs' in b && a.intervalMs === b.intervalMs : 'cron' in b && a.cron === b.cron && a.timezone === b.timezone;
