import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '@pingback/security';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-15T10:30:00Z');

  test.each([
    ['0', 0],
    ['30', 30_000],
    [' 120 ', 120_000],
    ['3600', 3_600_000],
    ['3601', MAX_RETRY_AFTER_MS],
    ['99999999999999999999', MAX_RETRY_AFTER_MS],
    ['Wed, 15 Jan 2025 10:32:00 GMT', 120_000],
    ['Wed, 15 Jan 2025 10:29:00 GMT', 0],
    ['Thu, 16 Jan 2025 10:30:00 GMT', MAX_RETRY_AFTER_MS],
  ])('when Retry-After is %j, then the wait is %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test.each([undefined, '', '-5', '1.5', 'soon', 'Wed, 99 Foo 2025'])('when Retry-After is %j, then there is no wait to honour', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  test('when the header arrives as a list, then the first value counts', () => {
    expect(parseRetryAfter(['10', '20'], now)).toBe(10_000);
  });
});
