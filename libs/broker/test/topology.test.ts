import { allSubscriptions, EXCHANGES, subscriptions, webhookDeliverSubscriptions } from '@pingback/contracts';
import {
  delayTiersOf,
  findQueue,
  parseRetrySchedules,
  retryQueueName,
  topology,
  withRetryDelays,
  withScheduleOverrides,
} from '../src';
import { infrastructureRetryDelayMs, retryDelayMs } from '../src/retry-delay';

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

  it('when a retry is due, then its delay is the tier for that attempt, or the smallest Retry-After tier at least as long as requested', () => {
    const queue = { name: 'q', bindings: [], retryDelaysMs: [1_000, 5_000, 30_000], retryAfterTiersMs: [500, 2_000, 10_000, 60_000] };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(queue, attempt))).toEqual([1_000, 5_000, 30_000, 30_000]);
    expect(retryDelayMs(queue, 1, 200)).toBe(1_000);
    expect(retryDelayMs(queue, 1, 1_234)).toBe(2_000);
    expect(retryDelayMs(queue, 1, 5_000)).toBe(5_000);
    expect(retryDelayMs(queue, 2, 5_001)).toBe(10_000);
    expect(retryDelayMs(queue, 1, 61_001)).toBe(60_000);
    expect(retryDelayMs(queue, 1, Number.NaN)).toBe(1_000);
    expect(retryDelayMs({ ...queue, retryAfterTiersMs: [] }, 1, 7_000)).toBe(30_000);
  });

  it('when the tiers of a queue are listed, then they hold every delay retryDelayMs can choose and no Retry-After tier it never can', () => {
    const queue = { name: 'q', bindings: [], retryDelaysMs: [1_000, 5_000, 30_000], retryAfterTiersMs: [500, 2_000, 10_000, 60_000] };
    expect(delayTiersOf(queue)).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 60_000]);
    for (const retries of [1, 2, 3, 4, 10]) expect(delayTiersOf(queue)).toContain(infrastructureRetryDelayMs(queue, retries));
    const requests = [undefined, 0, 1, 999, 1_000, 1_001, 4_999, 9_999, 29_000, 59_999, 60_000, 3_600_000, Infinity];
    for (const attempt of [1, 2, 3, 4]) {
      for (const requested of requests) expect(delayTiersOf(queue)).toContain(retryDelayMs(queue, attempt, requested));
    }
    // With no schedule, failures of our own infrastructure still wait before their retry.
    const unscheduled = { ...queue, retryDelaysMs: [] };
    expect(delayTiersOf(unscheduled)).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 60_000]);
    expect(retryDelayMs(unscheduled, 1)).toBe(1_000);
  });

  it('when the system topology is derived from the subscription table, then every queue binds its publications and the deliverer queues take Retry-After up to an hour', () => {
    for (const row of allSubscriptions) {
      const queue = row.exclusive ? topology.perProcessQueues?.find((candidate) => candidate.name === row.queue) : findQueue(topology, row.queue);
      if (!queue) throw new Error(`per-process queue ${row.queue} is missing`);
      expect(queue.bindings).toEqual(
        expect.arrayContaining(row.publications.map(({ exchange, routingKey }) => ({ exchange, routingKey }))),
      );
      expect(queue.retryDelaysMs).toEqual(row.retryDelaysMs);
    }
    for (const row of Object.values(webhookDeliverSubscriptions)) {
      expect(Math.max(...delayTiersOf(findQueue(topology, row.queue)))).toBe(3_600_000);
    }
    // A per-process queue is declared by its consumer, not with the durable topology, and never retries.
    expect(topology.queues.map((queue) => queue.name)).not.toContain(subscriptions.forgetSigner.queue);
    expect(topology.perProcessQueues?.map((queue) => queue.name)).toEqual([subscriptions.forgetSigner.queue, subscriptions.forgetChannel.queue]);
    expect(topology.exchanges.map((exchange) => exchange.name).sort()).toEqual([EXCHANGES.commands, EXCHANGES.events]);
    expect(retryQueueName('q', 1_300)).toBe('q.retry.1300.v2');
  });
});
