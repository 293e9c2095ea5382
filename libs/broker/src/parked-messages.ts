import type { GetMessage } from 'amqplib';
import { createConfirmedPublisher } from './confirmed-publisher';
import { connectToAnyNode } from './connect-to-any-node';
import { attemptsMade, HEADER } from './headers';
import { parkedQueueName } from './queue-names';
import { republished } from './republished';
import { findQueue, type Topology } from './topology';

export interface ParkedMessage {
  id: string | undefined;
  type: string | undefined;
  attempt: number;
  lastError: string | undefined;
  /** Ours (`attempts_exhausted`, `schema_invalid`, …) or RabbitMQ's (`delivery_limit`) for poison messages. */
  reason: string | undefined;
  parkedAt: string | undefined;
}

export interface ParkedQueueReport {
  queue: string;
  parkedQueue: string;
  count: number;
  /** Up to `limit` of the oldest parked messages. */
  messages: ParkedMessage[];
}

export interface ListParkedOptions {
  url: string;
  topology: Topology;
  /** Only this work queue; all of the topology's otherwise. */
  queue?: string;
  /** Messages shown per queue (default 20). */
  limit?: number;
}

/**
 * Counts and shows parked messages without removing them: each is fetched unacknowledged and returned to its
 * queue when the channel closes.
 */
export async function listParked(options: ListParkedOptions): Promise<ParkedQueueReport[]> {
  const limit = options.limit ?? 20;
  const queues = options.queue ? [findQueue(options.topology, options.queue)] : options.topology.queues;
  const connection = await connectToAnyNode(options.url);
  try {
    const reports: ParkedQueueReport[] = [];
    for (const { name } of queues) {
      const parkedQueue = parkedQueueName(name);
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        const { messageCount } = await channel.checkQueue(parkedQueue);
        const messages: ParkedMessage[] = [];
        while (messages.length < Math.min(limit, messageCount)) {
          const message = await channel.get(parkedQueue, { noAck: false });
          if (message === false) break;
          messages.push(describeParked(message));
        }
        reports.push({ queue: name, parkedQueue, count: messageCount, messages });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 404) throw error;
        reports.push({ queue: name, parkedQueue, count: 0, messages: [] });
      } finally {
        await channel.close().catch(() => undefined);
      }
    }
    return reports;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface ReplayParkedOptions {
  url: string;
  topology: Topology;
  queue: string;
  /** At most this many messages (default: every message parked when the replay starts). */
  limit?: number;
  confirmTimeoutMs?: number;
}

/**
 * Moves parked messages back to their work queue with a fresh attempt count, one at a time: each is
 * republished and confirmed before it is acked from the parking queue. Messages parked again during the run
 * are not replayed twice (the run stops at the count it started with).
 */
export async function replayParked(options: ReplayParkedOptions): Promise<{ replayed: number }> {
  const { name } = findQueue(options.topology, options.queue);
  const parkedQueue = parkedQueueName(name);
  const connection = await connectToAnyNode(options.url);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const publisher = createConfirmedPublisher(channel, options.confirmTimeoutMs ?? 5_000);
    channel.on('close', () => publisher.failAll(new Error('channel closed during the replay')));
    const { messageCount } = await channel.checkQueue(parkedQueue);
    await channel.checkQueue(name);
    const total = Math.min(messageCount, options.limit ?? messageCount);
    let replayed = 0;
    while (replayed < total) {
      const message = await channel.get(parkedQueue, { noAck: false });
      if (message === false) break;
      await publisher.publish(
        '',
        name,
        message.content,
        republished(message, message.properties.headers ?? {}, {
          [HEADER.attempt]: undefined,
          [HEADER.lastError]: undefined,
          [HEADER.parkedReason]: undefined,
          [HEADER.parkedAt]: undefined,
        }),
      );
      channel.ack(message);
      replayed++;
    }
    await channel.close();
    return { replayed };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function describeParked(message: GetMessage): ParkedMessage {
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const parsed = parseBody(message.content);
  return {
    id: text(message.properties.messageId) ?? text(parsed?.id),
    type: text(message.properties.type) ?? text(parsed?.type),
    attempt: attemptsMade(headers),
    lastError: text(headers[HEADER.lastError]),
    reason: text(headers[HEADER.parkedReason]) ?? text(headers['x-first-death-reason']),
    parkedAt: text(headers[HEADER.parkedAt]),
  };
}

function parseBody(content: Buffer): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(content.toString('utf8'));
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
