import { randomBytes } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { QueueHandler } from './consume-context';
import { HEADER } from './headers';
import type { Session } from './session';
import type { QueueSpec } from './topology';

/**
 * Declares this connection's own copy of a per-process queue and binds it. Exclusive and auto-deleted, so it
 * goes with the connection: a reconnect declares a new one under a new name, and nothing is left behind by a
 * process that died. Classic and not durable: what it carries is worth nothing once its process is gone.
 */
export async function assertPerProcessQueue(channel: Channel, queue: QueueSpec): Promise<string> {
  const { queue: name } = await channel.assertQueue(`${queue.name}.${randomBytes(6).toString('hex')}`, {
    durable: false,
    exclusive: true,
    autoDelete: true,
    arguments: { 'x-queue-type': 'classic' },
  });
  for (const binding of queue.bindings) await channel.bindQueue(name, binding.exchange, binding.routingKey);
  return name;
}

/**
 * One delivery on a per-process queue: parse, handle, ack whatever happens. There is no retry tier or parking
 * queue to send a failure to, and none is needed: such a queue only carries hints (drop a cache entry) that a
 * later reconnect or a lifetime makes good.
 */
export async function processPerProcessDelivery(
  context: { session: Session; queue: QueueSpec; subscription: QueueHandler<unknown>; logger: Logger },
  message: ConsumeMessage,
): Promise<void> {
  const { session, queue, subscription } = context;
  const headers: Record<string, unknown> = { ...(message.properties.headers ?? {}) };
  const log = context.logger.child({ queue: queue.name, messageId: message.properties.messageId, traceId: headers[HEADER.traceId] });
  try {
    const parsed = subscription.schema.parse(JSON.parse(message.content.toString('utf8')));
    await subscription.handler(parsed, {
      attempt: 1,
      maxAttempts: 1,
      isLastAttempt: true,
      traceId: typeof headers[HEADER.traceId] === 'string' ? (headers[HEADER.traceId] as string) : '',
      headers,
      retryAfterMs: () => {
        throw new Error('a per-process queue has no retries');
      },
      nextRetryDelayMs: () => 0,
    });
  } catch (error) {
    log.error({ err: error }, 'a per-process message failed; dropped');
  }
  if (session.lost) return;
  try {
    session.consumeChannel.ack(message);
  } catch {
    // The channel closed meanwhile; its queue went with it.
  }
}
