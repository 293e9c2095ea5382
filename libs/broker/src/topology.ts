import { allSubscriptions, type Subscription } from '@pingback/contracts';

/**
 * The RabbitMQ topology, derived from the subscription table in libs/contracts: each queue binds the exchange
 * and routing key of every publication it receives, and the exchanges are the ones those publications name.
 * Delay and parking queues are derived from a work queue's name and tiers (queue-names.ts, retry-delay.ts).
 */
export interface Binding {
  exchange: string;
  routingKey: string;
}

export interface QueueSpec {
  name: string;
  bindings: Binding[];
  /** One retry after each delay: a message gets `retryDelaysMs.length + 1` attempts in all. */
  retryDelaysMs: number[];
  /** Where a longer delay that a handler asks for is rounded up to (see retry-delay.ts). */
  retryAfterTiersMs: number[];
  /** Unacknowledged messages one consumer holds at once (default 32). */
  prefetch?: number;
  /** Pauses before retrying a failure of our own infrastructure (default INFRASTRUCTURE_RETRY_DELAYS_MS). */
  infrastructureRetryDelaysMs?: number[];
}

export interface ExchangeSpec {
  name: string;
  type: 'topic';
}

export interface Topology {
  exchanges: ExchangeSpec[];
  /** Durable queues, declared at every connection with their delay and parking queues. */
  queues: QueueSpec[];
  /**
   * Queues each process declares for itself when it consumes (subscriptions marked `exclusive`): classic,
   * exclusive, auto-deleted, named `<name>.<random suffix>`, with no delay or parking queues. Their messages reach
   * every process; one published while no process consumes is dropped (see per-process-queue.ts).
   */
  perProcessQueues?: QueueSpec[];
}

export function topologyOf(subscriptions: readonly Subscription[]): Topology {
  const exchanges = new Set<string>();
  const specs = subscriptions.map((subscription): QueueSpec & { exclusive: boolean } => {
    if (subscription.exclusive && subscription.retryDelaysMs.length > 0) {
      throw new Error(`queue "${subscription.queue}" is per process: it cannot have retry delays`);
    }
    const bindings = uniqueBindings(subscription);
    for (const binding of bindings) exchanges.add(binding.exchange);
    return {
      name: subscription.queue,
      bindings,
      retryDelaysMs: [...subscription.retryDelaysMs],
      retryAfterTiersMs: [...(subscription.retryAfterTiersMs ?? [])],
      ...(subscription.prefetch === undefined ? {} : { prefetch: subscription.prefetch }),
      exclusive: subscription.exclusive ?? false,
    };
  });
  const names = specs.map((queue) => queue.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`queue "${repeated}" is declared twice`);
  const withoutFlag = ({ exclusive: _exclusive, ...queue }: QueueSpec & { exclusive: boolean }): QueueSpec => queue;
  return {
    exchanges: [...exchanges].map((name) => ({ name, type: 'topic' })),
    queues: specs.filter((queue) => !queue.exclusive).map(withoutFlag),
    perProcessQueues: specs.filter((queue) => queue.exclusive).map(withoutFlag),
  };
}

/** The whole system's topology. */
export const topology: Topology = topologyOf(allSubscriptions);

function uniqueBindings(subscription: Subscription): Binding[] {
  const seen = new Map<string, Binding>();
  for (const { exchange, routingKey } of subscription.publications) seen.set(`${exchange}\u0000${routingKey}`, { exchange, routingKey });
  return [...seen.values()];
}

export function maxAttemptsOf(queue: QueueSpec): number {
  return queue.retryDelaysMs.length + 1;
}

export function findQueue(of: Topology, name: string): QueueSpec {
  const queue = of.queues.find((candidate) => candidate.name === name);
  if (!queue) throw new Error(`queue "${name}" is not in the topology`);
  return queue;
}

/**
 * Returns a copy of the topology with some queues' retry delays replaced (tests run schedules in
 * milliseconds). Naming a queue the topology does not have is an error, so a typo cannot go unnoticed.
 */
export function withRetryDelays(of: Topology, overrides: Record<string, number[]>): Topology {
  for (const name of Object.keys(overrides)) findQueue(of, name);
  return {
    exchanges: of.exchanges.map((exchange) => ({ ...exchange })),
    queues: of.queues.map((queue) => ({
      ...queue,
      bindings: queue.bindings.map((binding) => ({ ...binding })),
      retryDelaysMs: [...(overrides[queue.name] ?? queue.retryDelaysMs)],
      retryAfterTiersMs: [...queue.retryAfterTiersMs],
      ...(queue.infrastructureRetryDelaysMs ? { infrastructureRetryDelaysMs: [...queue.infrastructureRetryDelaysMs] } : {}),
    })),
    perProcessQueues: (of.perProcessQueues ?? []).map((queue) => ({ ...queue, bindings: queue.bindings.map((binding) => ({ ...binding })) })),
  };
}

/** Returns a copy of the topology whose queues all retry failures of our infrastructure after `delaysMs`. */
export function withInfrastructureRetryDelays(of: Topology, delaysMs: number[]): Topology {
  if (delaysMs.length === 0) return of;
  return { ...of, queues: of.queues.map((queue) => ({ ...queue, infrastructureRetryDelaysMs: [...delaysMs] })) };
}
