/**
 * The whole system's RabbitMQ topology as data: every exchange, work queue and binding lives here, so one file
 * answers "who receives this routing key". Queue names read `consumer:entity:action`, routing keys
 * `producer.entity.event`. Delay and parking queues are derived from a work queue's name (queue-names.ts).
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
  /** Unacknowledged messages one consumer holds at once (default 32). */
  prefetch?: number;
  /** Work and parking queue type; quorum unless a queue says otherwise. */
  queueType?: 'quorum' | 'classic';
}

export interface ExchangeSpec {
  name: string;
  type: 'topic' | 'direct';
}

export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
}

export const EVENTS_EXCHANGE = 'pingback.events';
export const COMMANDS_EXCHANGE = 'pingback.commands';

const FAST_RETRIES = [1_000, 5_000, 30_000];

export const topology: Topology = {
  exchanges: [
    { name: EVENTS_EXCHANGE, type: 'topic' },
    { name: COMMANDS_EXCHANGE, type: 'topic' },
  ],
  queues: [
    {
      name: 'response-store:notification:record',
      bindings: [{ exchange: COMMANDS_EXCHANGE, routingKey: 'notification.requested' }],
      retryDelaysMs: FAST_RETRIES,
    },
    {
      name: 'notification-dispatcher:notification:dispatch',
      bindings: [{ exchange: EVENTS_EXCHANGE, routingKey: 'notification.recorded' }],
      retryDelaysMs: FAST_RETRIES,
    },
    {
      // CONTRACT §6: answer callbacks retry after 5 s, 15 s, 30 s, 1 min, 2 min, 5 min.
      name: 'webhook-deliverer:callback:deliver',
      bindings: [{ exchange: COMMANDS_EXCHANGE, routingKey: 'webhook.deliver.callback' }],
      retryDelaysMs: [5_000, 15_000, 30_000, 60_000, 120_000, 300_000],
    },
    {
      // CONTRACT §6: provider sends (the webhook destination among them) retry after 1 min and 4 min.
      name: 'webhook-deliverer:notification:deliver',
      bindings: [{ exchange: COMMANDS_EXCHANGE, routingKey: 'webhook.deliver.notification' }],
      retryDelaysMs: [60_000, 240_000],
    },
    {
      name: 'response-store:webhook:settled',
      bindings: [
        { exchange: EVENTS_EXCHANGE, routingKey: 'webhook.delivered' },
        { exchange: EVENTS_EXCHANGE, routingKey: 'webhook.failed' },
      ],
      retryDelaysMs: FAST_RETRIES,
    },
    {
      name: 'notification-dispatcher:webhook:settled',
      bindings: [
        { exchange: EVENTS_EXCHANGE, routingKey: 'webhook.delivered' },
        { exchange: EVENTS_EXCHANGE, routingKey: 'webhook.failed' },
        { exchange: EVENTS_EXCHANGE, routingKey: 'webhook.attempted' },
      ],
      retryDelaysMs: FAST_RETRIES,
    },
  ],
};

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
    })),
  };
}
