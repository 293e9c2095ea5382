import { parkedQueueName } from './queue-names';
import type { QueueSpec } from './topology';

/**
 * A message redelivered this many times without ever being acked (a handler that crashes its process, say)
 * is parked by RabbitMQ itself instead of looping for ever. Far above what connection losses alone cause.
 */
export const POISON_DELIVERY_LIMIT = 20;

/**
 * Quorum queues dead-letter at most once unless asked for at-least-once, which in turn needs
 * reject-publish overflow (CONTRACT §10). These queues have no length limit, so the overflow mode never
 * refuses anything; it only unlocks the safe dead-lettering.
 */
const AT_LEAST_ONCE_DEAD_LETTERING = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

export type QueueArguments = Record<string, string | number>;

export function workQueueArguments(queue: QueueSpec): QueueArguments {
  if (queue.queueType === 'classic') return { 'x-queue-type': 'classic' };
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': POISON_DELIVERY_LIMIT,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': parkedQueueName(queue.name),
    ...AT_LEAST_ONCE_DEAD_LETTERING,
  };
}

export function parkedQueueArguments(queue: QueueSpec): QueueArguments {
  return { 'x-queue-type': queue.queueType ?? 'quorum' };
}

/**
 * A delay queue holds a message for `delayMs`, then dead-letters it back to its work queue through the default
 * exchange. It is a quorum queue with at-least-once dead-lettering, like the work queues: while waiting the
 * message lives only here, and a classic queue's dead-lettering is fire-and-forget (a message expiring while
 * the work queue is briefly unavailable would be dropped), which would break "never dropped". The price, one
 * Raft log per tier in use, is small because tiers are few and `x-expires` deletes the ones left unused.
 *
 * `x-expires` counts from the last declaration, not from the last message, so the publisher re-declares a
 * delay queue at least every `redeclareDelayQueueAfterMs(delayMs)`: the queue then outlives its newest
 * message by at least five minutes.
 */
export function delayQueueArguments(workQueue: string, delayMs: number): QueueArguments {
  return {
    'x-queue-type': 'quorum',
    'x-message-ttl': delayMs,
    'x-expires': 2 * delayMs + 10 * 60_000,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': workQueue,
    ...AT_LEAST_ONCE_DEAD_LETTERING,
  };
}

export function redeclareDelayQueueAfterMs(delayMs: number): number {
  return Math.min(delayMs, 5 * 60_000);
}
