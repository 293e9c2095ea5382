import { CommonConfig, ConfigError, parseConfig } from '../src';

const base = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  RABBITMQ_URL: 'amqp://127.0.0.1:5672',
  PINGBACK_SECRET_KEY: 'a-key',
  HEALTH_PORT: '9101',
};

describe('the common configuration', () => {
  test('when earlier secret keys are listed, then they come as a list, apart from the current key', () => {
    const config = parseConfig(CommonConfig, { ...base, PINGBACK_PREVIOUS_SECRET_KEYS: ' old-1 , old-2,' });
    expect(config.PINGBACK_PREVIOUS_SECRET_KEYS).toEqual(['old-1', 'old-2']);
    expect(parseConfig(CommonConfig, base).PINGBACK_PREVIOUS_SECRET_KEYS).toEqual([]);
  });

  test('when nothing says otherwise, then internal ports listen on loopback only', () => {
    expect(parseConfig(CommonConfig, base).INTERNAL_HOST).toBe('127.0.0.1');
  });

  test('when a required variable is missing, then the error is one line naming it', () => {
    const { DATABASE_URL: _missing, ...rest } = base;
    expect(() => parseConfig(CommonConfig, rest)).toThrow(new ConfigError('config: DATABASE_URL is required'));
  });
});
