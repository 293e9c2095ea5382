import { ConfigError } from '@pingback/config';
import { DEFAULT_LIMITS, limitVariable, loadLimits, makeSendRequest } from '../src';

describe('limits (CONTRACT §4: defaults, each configurable)', () => {
  test('when nothing is set, then every limit is the contract default', () => {
    expect(loadLimits({})).toEqual(DEFAULT_LIMITS);
  });

  test('when a limit variable is set, then that limit changes and the send schema enforces it', () => {
    const limits = loadLimits({ [limitVariable('titleChars')]: '10', [limitVariable('actions')]: '1' });
    expect(limitVariable('titleChars')).toBe('PINGBACK_LIMIT_TITLE_CHARS');
    expect(limits).toMatchObject({ titleChars: 10, actions: 1, bodyChars: DEFAULT_LIMITS.bodyChars });
    const SendRequest = makeSendRequest(limits);
    expect(SendRequest.safeParse({ title: 'x'.repeat(10) }).success).toBe(true);
    expect(SendRequest.safeParse({ title: 'x'.repeat(11) }).success).toBe(false);
  });

  test('when a limit variable is not a positive whole number, then loading names it', () => {
    expect(() => loadLimits({ PINGBACK_LIMIT_DATA_BYTES: 'lots' })).toThrow(
      new ConfigError('config: PINGBACK_LIMIT_DATA_BYTES is invalid: must be a positive whole number'),
    );
  });

  test('when the older names of the expiry limits are set, then they still count', () => {
    expect(loadLimits({ PINGBACK_MIN_EXPIRES_IN_SECONDS: '1' }).minExpiresInSeconds).toBe(1);
  });
});
