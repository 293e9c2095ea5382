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
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': POISON_DELIVERY_LIMIT,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': parkedQueueName(queue.name),
    ...AT_LEAST_ONCE_DEAD_LETTERING,
  };
}

export function parkedQueueArguments(): QueueArguments {
  return { 'x-queue-type': 'quorum' };
}

/**
 * A delay queue holds a message for `delayMs`, then dead-letters it back to its work queue through the default
 * exchange. It is a quorum queue with at-least-once dead-lettering, like the work queues: while waiting the
 * message lives only here, and a classic queue's dead-lettering is fire-and-forget (a message expiring while
 * the work queue is briefly unavailable would be dropped), which would break "never dropped".
 *
 * No `x-expires`: a queue that holds accepted work must never be deleted by the broker (CONTRACT §10). On
 * RabbitMQ 3.10 declaring a quorum queue again does not renew its lease, so a delay queue with one was deleted
 * with a retry inside. Every tier is declared at start-up instead (assert-topology.ts); there are few.
 */
export function delayQueueArguments(workQueue: string, delayMs: number): QueueArguments {
  return {
    'x-queue-type': 'quorum',
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': workQueue,
    ...AT_LEAST_ONCE_DEAD_LETTERING,
  };
}
