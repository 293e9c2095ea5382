import type { Channel } from 'amqplib';
import { delayQueueArguments, parkedQueueArguments, workQueueArguments } from './queue-arguments';
import { parkedQueueName, retryQueueName } from './queue-names';
import { delayTiersOf } from './retry-delay';
import type { Topology } from './topology';

/**
 * Declares every exchange, work queue, parking queue, delay queue (one per tier a retry can wait in) and binding.
 * Idempotent; a queue that exists with other arguments fails with PRECONDITION_FAILED. The calls are pipelined:
 * one channel runs them in order.
 */
export async function assertTopology(channel: Channel, of: Topology): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const exchange of of.exchanges) {
    pending.push(channel.assertExchange(exchange.name, exchange.type, { durable: true }));
  }
  for (const queue of of.queues) {
    pending.push(channel.assertQueue(queue.name, { durable: true, arguments: workQueueArguments(queue) }));
    pending.push(channel.assertQueue(parkedQueueName(queue.name), { durable: true, arguments: parkedQueueArguments() }));
    for (const delayMs of delayTiersOf(queue)) {
      const name = retryQueueName(queue.name, delayMs);
      pending.push(channel.assertQueue(name, { durable: true, arguments: delayQueueArguments(queue.name, delayMs) }));
    }
    for (const binding of queue.bindings) {
      pending.push(channel.bindQueue(queue.name, binding.exchange, binding.routingKey));
    }
  }
  await Promise.all(pending);
}
