import { connect, type ChannelModel } from 'amqplib';
import { EXCHANGES, type Envelope } from '@pingback/contracts';
import { waitFor } from '@pingback/testing';

export interface EventLog {
  all: Envelope[];
  /** Events of this type about this webhook, in the order they arrived. */
  about(type: string, webhookId: string): Envelope[];
  /** Waits until `count` such events have arrived and returns them. */
  waitFor(type: string, webhookId: string, count?: number, timeoutMs?: number): Promise<Envelope[]>;
  close(): Promise<void>;
}

/** Records every event on pingback.events through a queue of the test's own, bound to every routing key. */
export async function observeEvents(rabbitUrl: string): Promise<EventLog> {
  const connection: ChannelModel = await connect(rabbitUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, EXCHANGES.events, '#');
  const all: Envelope[] = [];
  await channel.consume(queue, (message) => {
    if (message) all.push(JSON.parse(message.content.toString('utf8')) as Envelope);
  }, { noAck: true });

  const about = (type: string, webhookId: string): Envelope[] =>
    all.filter((event) => event.type === type && (event.payload as { webhookId?: string }).webhookId === webhookId);
  return {
    all,
    about,
    waitFor: (type, webhookId, count = 1, timeoutMs = 20_000) =>
      waitFor(() => about(type, webhookId).length >= count && about(type, webhookId), {
        timeoutMs,
        description: `${count} ${type} event(s) for ${webhookId}`,
      }),
    close: () => connection.close(),
  };
}
