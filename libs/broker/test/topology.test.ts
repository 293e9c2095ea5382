import {
  findQueue,
  parseRetrySchedules,
  retryQueueName,
  topology,
  withRetryDelays,
  withScheduleOverrides,
} from '../src';
import { retryDelayMs } from '../src/retry-delay';

/** Pure functions: no infrastructure involved. */
describe('topology and retry schedules', () => {
  it('when PINGBACK_RETRY_SCHEDULES names queues, then each gets its delays in milliseconds', () => {
    expect(parseRetrySchedules('webhook-deliverer:callback:deliver=100,200; other:queue:x=50 ;empty:queue:y=')).toEqual({
      'webhook-deliverer:callback:deliver': [100, 200],
      'other:queue:x': [50],
      'empty:queue:y': [],
    });
    expect(parseRetrySchedules('')).toEqual({});
    expect(parseRetrySchedules(undefined)).toEqual({});
  });

  it('when PINGBACK_RETRY_SCHEDULES is malformed, then parsing fails naming the entry', () => {
    expect(() => parseRetrySchedules('queue-without-delays')).toThrow('queue-without-delays');
    expect(() => parseRetrySchedules('a:b:c=100,soon')).toThrow('"soon"');
    expect(() => parseRetrySchedules('a:b:c=-5')).toThrow('"-5"');
  });

  it('when delays are overridden, then only those queues change and the shared topology stays as it was', () => {
    const overridden = withRetryDelays(topology, { 'webhook-deliverer:callback:deliver': [100, 200] });
    expect(findQueue(overridden, 'webhook-deliverer:callback:deliver').retryDelaysMs).toEqual([100, 200]);
    expect(findQueue(topology, 'webhook-deliverer:callback:deliver').retryDelaysMs).toEqual([
      5_000, 15_000, 30_000, 60_000, 120_000, 300_000,
    ]);
    expect(findQueue(overridden, 'webhook-deliverer:notification:deliver').retryDelaysMs).toEqual([60_000, 240_000]);
    expect(withScheduleOverrides(topology, 'response-store:notification:record=5')).toEqual(
      withRetryDelays(topology, { 'response-store:notification:record': [5] }),
    );
  });

  it('when an override names a queue the topology does not have, then it fails', () => {
    expect(() => withRetryDelays(topology, { 'no-such:queue:here': [1] })).toThrow('no-such:queue:here');
  });

  it('when a retry is due, then its delay is the tier for that attempt, or a longer requested one rounded up', () => {
    const queue = { name: 'q', bindings: [], retryDelaysMs: [1_000, 5_000, 30_000] };
    expect([1, 2, 3].map((attempt) => retryDelayMs(queue, attempt))).toEqual([1_000, 5_000, 30_000]);
    expect(retryDelayMs(queue, 1, 200)).toBe(1_000);
    expect(retryDelayMs(queue, 1, 1_234)).toBe(1_300);
    expect(retryDelayMs(queue, 1, 61_001)).toBe(62_000);
    expect(retryDelayMs(queue, 2, 5_000)).toBe(5_000);
    expect(retryQueueName('q', 1_300)).toBe('q.retry.1300');
  });
});
