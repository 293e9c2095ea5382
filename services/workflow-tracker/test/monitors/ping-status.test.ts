import { formatDuration } from '../../src/domain/monitors/durations';
import { pingOutcome } from '../../src/domain/monitors/ping-status';

describe("a heartbeat's status", () => {
  test('when the status is absent, ok, success or 0, then the ping is good', () => {
    for (const status of [undefined, null, 'ok', 'OK', 'success', '0', 0]) expect(pingOutcome(status)).toEqual({ ok: true });
  });

  test('when the status is fail, failure or a non-zero exit code, then the ping reports a failure (with the code)', () => {
    expect(pingOutcome('fail')).toEqual({ ok: false, exitCode: null });
    expect(pingOutcome('Failure')).toEqual({ ok: false, exitCode: null });
    expect(pingOutcome('1')).toEqual({ ok: false, exitCode: 1 });
    expect(pingOutcome('127')).toEqual({ ok: false, exitCode: 127 });
    expect(pingOutcome(2)).toEqual({ ok: false, exitCode: 2 });
  });

  test('when the status is anything else, then it is not understood', () => {
    for (const status of ['abc', '', '1.5', '1e3', 'ok\u0000', '99999999999', 1.5, true, {}, []]) expect(pingOutcome(status)).toBeUndefined();
  });
});

describe('durations in alert titles', () => {
  test('when a duration is shown, then it reads as people write it', () => {
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
    expect(formatDuration(250)).toBe('250ms');
  });
});
