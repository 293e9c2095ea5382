import { DomainError } from '@pingback/contracts';
import { canonicalTimezone, cronProblem, nextDue } from '../../src/domain/monitors/schedule';
import { resolveSchedule } from '../../src/domain/monitors/schedule-input';

const at = (iso: string) => new Date(iso);
const due = (cron: string, timezone: string, after: string) => nextDue({ cron, timezone }, at(after)).toISOString();

describe('nextDue: when the next ping is expected', () => {
  test('when the schedule is an interval, then the next ping is due that long after the last one', () => {
    expect(nextDue({ intervalMs: 2_000 }, at('2025-01-15T10:30:00.250Z')).toISOString()).toBe('2025-01-15T10:30:02.250Z');
  });

  test('when the cron slot is due in the same instant as the ping, then the next slot after it counts', () => {
    expect(due('0 * * * *', 'UTC', '2025-01-15T10:00:00Z')).toBe('2025-01-15T11:00:00.000Z');
    expect(due('*/15 * * * * *', 'UTC', '2025-01-15T10:00:07Z')).toBe('2025-01-15T10:00:15.000Z');
  });

  describe('Europe/Berlin across daylight saving (2025-03-30 02:00 → 03:00, 2025-10-26 03:00 → 02:00)', () => {
    test('when a daily 02:00 job meets the skipped hour, then it is due when the hour ends (03:00 CEST), and at 02:00 CEST the day after', () => {
      expect(due('0 2 * * *', 'Europe/Berlin', '2025-03-28T12:00:00Z')).toBe('2025-03-29T01:00:00.000Z'); // 02:00 CET
      expect(due('0 2 * * *', 'Europe/Berlin', '2025-03-29T01:00:00Z')).toBe('2025-03-30T01:00:00.000Z'); // 03:00 CEST
      expect(due('0 2 * * *', 'Europe/Berlin', '2025-03-30T01:00:00Z')).toBe('2025-03-31T00:00:00.000Z'); // 02:00 CEST
    });

    test('when a daily 02:00 job meets the repeated hour, then it is due once, at the first 02:00', () => {
      expect(due('0 2 * * *', 'Europe/Berlin', '2025-10-25T12:00:00Z')).toBe('2025-10-26T00:00:00.000Z'); // 02:00 CEST
      expect(due('0 2 * * *', 'Europe/Berlin', '2025-10-26T00:00:00Z')).toBe('2025-10-27T01:00:00.000Z'); // 02:00 CET, next day
    });

    test('when an hourly :30 job meets the repeated hour, then it is due in both passes, an hour apart', () => {
      expect(due('30 * * * *', 'Europe/Berlin', '2025-10-26T00:10:00Z')).toBe('2025-10-26T00:30:00.000Z'); // 02:30 CEST
      expect(due('30 * * * *', 'Europe/Berlin', '2025-10-26T00:30:00Z')).toBe('2025-10-26T01:30:00.000Z'); // 02:30 CET
      expect(due('30 * * * *', 'Europe/Berlin', '2025-10-26T01:30:00Z')).toBe('2025-10-26T02:30:00.000Z'); // 03:30 CET
    });

    test('when an hourly :30 job meets the skipped hour, then 02:30 is skipped and 03:30 CEST follows 01:30 CET', () => {
      expect(due('30 * * * *', 'Europe/Berlin', '2025-03-30T00:30:00Z')).toBe('2025-03-30T01:30:00.000Z');
    });
  });

  describe('America/New_York across daylight saving (2025-03-09 02:00 → 03:00, 2025-11-02 02:00 → 01:00)', () => {
    test('when a daily 02:00 job meets the skipped hour, then it runs at 03:00 EDT, then at 02:00 EDT', () => {
      expect(due('0 2 * * *', 'America/New_York', '2025-03-08T12:00:00Z')).toBe('2025-03-09T07:00:00.000Z');
      expect(due('0 2 * * *', 'America/New_York', '2025-03-09T07:00:00Z')).toBe('2025-03-10T06:00:00.000Z');
    });

    test('when a daily 01:30 job meets the repeated hour, then it is due once (01:30 EDT), then 01:30 EST the next day', () => {
      expect(due('30 1 * * *', 'America/New_York', '2025-11-01T12:00:00Z')).toBe('2025-11-02T05:30:00.000Z');
      expect(due('30 1 * * *', 'America/New_York', '2025-11-02T05:30:00Z')).toBe('2025-11-03T06:30:00.000Z');
    });

    test('when an hourly :30 job is in the repeated hour, then the second 01:30 (EST) is due after the first', () => {
      expect(due('30 * * * *', 'America/New_York', '2025-11-02T05:30:00Z')).toBe('2025-11-02T06:30:00.000Z');
    });
  });
});

describe('checking a schedule', () => {
  const now = at('2025-01-15T10:30:00Z');

  test('when a cron expression is malformed or never due, then it is refused with a reason', () => {
    expect(cronProblem('* * *', 'UTC', now)).toMatch(/5 or 6 fields/);
    expect(cronProblem('* * * * * * *', 'UTC', now)).toMatch(/5 or 6 fields/);
    expect(cronProblem('61 * * * *', 'UTC', now)).toMatch(/minute/);
    expect(cronProblem('0 0 30 2 *', 'UTC', now)).toBe('has no time at which it would be due');
    expect(cronProblem('0 2 * * *', 'Europe/Berlin', now)).toBeUndefined();
  });

  test('when a zone is an IANA name in any case, then it is spelled as the database of zones does; otherwise unknown', () => {
    expect(canonicalTimezone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimezone('UTC')).toBe('UTC');
    expect(canonicalTimezone('Mars/Olympus')).toBeUndefined();
    expect(canonicalTimezone('+01:00')).toBeUndefined();
    expect(canonicalTimezone('Europe/Berlin\u0000')).toBeUndefined();
  });

  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof DomainError) return (error.details.fields as { path: string }[])[0]?.path;
      throw error;
    }
    return undefined;
  };

  test('when a request gives both an interval and a cron expression, neither, or an unknown zone, then the field is named', () => {
    expect(fieldOf(() => resolveSchedule({ intervalMs: 60_000, cron: '* * * * *' }, null, now))).toBe('cron');
    expect(fieldOf(() => resolveSchedule({}, null, now))).toBe('interval_seconds');
    expect(fieldOf(() => resolveSchedule({ cron: '0 2 * * *', timezone: 'Mars/Olympus' }, null, now))).toBe('timezone');
    expect(fieldOf(() => resolveSchedule({ cron: '* * *' }, null, now))).toBe('cron');
  });

  test('when an update gives only a zone, then a cron schedule moves to it and an interval schedule refuses it', () => {
    const cron = { intervalMs: null, cron: '0 2 * * *', timezone: 'UTC' };
    expect(resolveSchedule({ timezone: 'america/new_york' }, cron, now)).toEqual({ cron: '0 2 * * *', timezone: 'America/New_York' });
    expect(fieldOf(() => resolveSchedule({ timezone: 'Europe/Berlin' }, { intervalMs: 60_000, cron: null, timezone: 'UTC' }, now))).toBe('timezone');
    expect(resolveSchedule({ cron: '30 * * * *' }, { ...cron, timezone: 'Europe/Berlin' }, now)).toEqual({ cron: '30 * * * *', timezone: 'Europe/Berlin' });
  });
});
