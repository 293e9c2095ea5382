import { parseBrokerUrls, redactBrokerUrl } from '../src';

describe('broker URLs', () => {
  test('when RABBITMQ_URL lists several nodes, then each comes out in order, blanks and empty entries dropped', () => {
    expect(parseBrokerUrls(' amqp://u:p@127.0.0.1:5701/v , amqp://u:p@127.0.0.1:5702/v,,amqps://u:p@127.0.0.1:5703/v ')).toEqual([
      'amqp://u:p@127.0.0.1:5701/v',
      'amqp://u:p@127.0.0.1:5702/v',
      'amqps://u:p@127.0.0.1:5703/v',
    ]);
  });

  test('when one URL or a list is given, then it is taken as it is', () => {
    expect(parseBrokerUrls('amqp://127.0.0.1')).toEqual(['amqp://127.0.0.1']);
    expect(parseBrokerUrls(['amqp://127.0.0.1:1', 'amqp://127.0.0.1:2'])).toEqual(['amqp://127.0.0.1:1', 'amqp://127.0.0.1:2']);
  });

  test('when an entry is not an amqp URL, then the error names the entry but never shows its password', () => {
    const parse = () => parseBrokerUrls('amqp://u:hunter2@127.0.0.1:5701,http://u:hunter2@127.0.0.1:5702');
    expect(parse).toThrow('RabbitMQ URL 2 of 2 must start with amqp:// or amqps://, not http://');
    expect(parse).not.toThrow(/hunter2/);
    expect(() => parseBrokerUrls('amqp://u:hunter2@127.0.0.1:5701, not a url')).toThrow('RabbitMQ URL 2 of 2 is not a URL');
    expect(() => parseBrokerUrls(' , ')).toThrow('no RabbitMQ URL given');
  });

  test('when a URL is logged, then its password is masked and the rest is kept', () => {
    expect(redactBrokerUrl('amqp://pingback:hunter2@10.0.0.7:5672/prod')).toBe('amqp://pingback:REDACTED@10.0.0.7:5672/prod');
    expect(redactBrokerUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
  });
});
