import { connect } from 'amqplib';
import { waitFor } from './wait-for';

/** A broker message as it travelled: the envelope's fields, and the routing key it was published with. */
export interface TappedMessage {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  traceId: string;
  routingKey: string;
  payload: Record<string, unknown>;
}

export interface MessageTap {
  all: TappedMessage[];
  /** Waits until a message matching `predicate` arrived and returns the first one. */
  next(predicate: (message: TappedMessage) => boolean, description: string, timeoutMs?: number): Promise<TappedMessage>;
  close(): Promise<void>;
}

/**
 * Records every message published to `exchange` through a queue of the test's own, so a test observes what a
 * service published as any other consumer would, without taking it from the service's own queues.
 */
export async function tapExchange(rabbitUrl: string, exchange: string, pattern = '#'): Promise<MessageTap> {
  const connection = await connect(rabbitUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, pattern);
  const all: TappedMessage[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const envelope = JSON.parse(message.content.toString('utf8')) as Omit<TappedMessage, 'routingKey'>;
      all.push({ ...envelope, routingKey: message.fields.routingKey });
    },
    { noAck: true },
  );
  return {
    all,
    next: (predicate, description, timeoutMs = 20_000) => waitFor(() => all.find(predicate), { timeoutMs, description }),
    close: () => connection.close(),
  };
}
