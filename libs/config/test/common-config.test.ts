import { CommonConfig, ConfigError, parseConfig } from '../src';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

const base = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  RABBITMQ_URL: 'amqp://127.0.0.1:5672',
  PINGBACK_SECRET_KEY: key(1),
  HEALTH_PORT: '9101',
};

describe('the common configuration', () => {
  test('when earlier secret keys are listed, then they come as a list, apart from the current key', () => {
    const config = parseConfig(CommonConfig, { ...base, PINGBACK_PREVIOUS_SECRET_KEYS: ` ${key(2)} , ${key(3)},` });
    expect(config.PINGBACK_PREVIOUS_SECRET_KEYS).toEqual([key(2), key(3)]);
    expect(parseConfig(CommonConfig, base).PINGBACK_PREVIOUS_SECRET_KEYS).toEqual([]);
  });

  test('when nothing says otherwise, then internal ports listen on loopback only', () => {
    expect(parseConfig(CommonConfig, base).INTERNAL_HOST).toBe('127.0.0.1');
  });

  test('when an earlier secret key is not 32 bytes of base64, then the line names the list and its entry', () => {
    expect(() => parseConfig(CommonConfig, { ...base, PINGBACK_PREVIOUS_SECRET_KEYS: `${key(2)},short` })).toThrow(
      /^config: PINGBACK_PREVIOUS_SECRET_KEYS\.1 is invalid: the key /,
    );
  });

  test('when RABBITMQ_URL lists the nodes of a cluster, then it is accepted as it is written', () => {
    const nodes = 'amqp://u:p@127.0.0.1:5701/v, amqp://u:p@127.0.0.1:5702/v,amqps://u:p@127.0.0.1:5703/v';
    expect(parseConfig(CommonConfig, { ...base, RABBITMQ_URL: nodes }).RABBITMQ_URL).toBe(nodes);
  });

  test('when an entry of RABBITMQ_URL is not an amqp URL, then the line names the entry but never shows its password', () => {
    const run = () => parseConfig(CommonConfig, { ...base, RABBITMQ_URL: 'amqp://u:secret@127.0.0.1:5701,http://u:secret@127.0.0.1:5702' });
    expect(run).toThrow(new ConfigError('config: RABBITMQ_URL is invalid: entry 2 of 2 is not an amqp:// or amqps:// URL'));
    expect(() => parseConfig(CommonConfig, { ...base, RABBITMQ_URL: ' , ' })).toThrow(new ConfigError('config: RABBITMQ_URL is invalid: no amqp:// URL given'));
  });

  test('when a required variable is missing, then the error is one line naming it', () => {
    const { DATABASE_URL: _missing, ...rest } = base;
    expect(() => parseConfig(CommonConfig, rest)).toThrow(new ConfigError('config: DATABASE_URL is required'));
  });
});
