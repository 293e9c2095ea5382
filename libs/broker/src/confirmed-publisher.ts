import type { ConfirmChannel, Message, Options } from 'amqplib';
import { BrokerUnavailableError, PublishTimeoutError, UnroutableError } from './errors';

/** Publishes on a confirm channel and settles each publish exactly once: confirmed, refused, or failed. */
export interface ConfirmedPublisher {
  /** Resolves on the broker's confirm; rejects on a return, a nack, a closed channel or a late confirm. */
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
  /** Rejects every publish still waiting for its confirm (the connection is gone). */
  failAll(error: Error): void;
}

interface Unconfirmed {
  /** exchange + routing key + message id: what a basic.return tells us about the message it returns. */
  key: string;
  returned: boolean;
  settle(error?: Error): void;
}

export function createConfirmedPublisher(channel: ConfirmChannel, confirmTimeoutMs: number): ConfirmedPublisher {
  const unconfirmed = new Set<Unconfirmed>();
  // RabbitMQ sends a basic.return before the confirm of the same message, and returns come in publish order,
  // so a return belongs to the oldest unconfirmed, not yet returned publish with the same key.
  const byKey = new Map<string, Unconfirmed[]>();

  const forget = (entry: Unconfirmed): void => {
    unconfirmed.delete(entry);
    const sameKey = byKey.get(entry.key);
    if (!sameKey) return;
    const index = sameKey.indexOf(entry);
    if (index >= 0) sameKey.splice(index, 1);
    if (sameKey.length === 0) byKey.delete(entry.key);
  };

  channel.on('return', (message: Message) => {
    const key = keyOf(message.fields.exchange, message.fields.routingKey, message.properties.messageId);
    const entry = byKey.get(key)?.find((candidate) => !candidate.returned);
    if (entry) entry.returned = true;
  });

  return {
    publish(exchange, routingKey, content, options) {
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        const entry: Unconfirmed = {
          key: keyOf(exchange, routingKey, options.messageId),
          returned: false,
          settle(error) {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (error) reject(error);
            else resolve();
          },
        };
        // A timed-out entry stays registered until its confirm or the channel's end, so a late return cannot
        // be matched to a younger publish of the same message.
        const timer = setTimeout(
          () => entry.settle(new PublishTimeoutError(`no publisher confirm within ${confirmTimeoutMs} ms`)),
          confirmTimeoutMs,
        );
        unconfirmed.add(entry);
        const sameKey = byKey.get(entry.key);
        if (sameKey) sameKey.push(entry);
        else byKey.set(entry.key, [entry]);
        try {
          channel.publish(exchange, routingKey, content, { ...options, mandatory: true }, (error: unknown) => {
            forget(entry);
            if (error) entry.settle(new BrokerUnavailableError(`message not confirmed: ${messageOf(error)}`, { cause: error }));
            else if (entry.returned) entry.settle(new UnroutableError(exchange, routingKey));
            else entry.settle();
          });
        } catch (error) {
          forget(entry);
          entry.settle(new BrokerUnavailableError(`cannot publish: ${messageOf(error)}`, { cause: error }));
        }
      });
    },
    failAll(error) {
      for (const entry of [...unconfirmed]) {
        forget(entry);
        entry.settle(error);
      }
    },
  };
}

function keyOf(exchange: string, routingKey: string, messageId: unknown): string {
  return `${exchange}\u0000${routingKey}\u0000${typeof messageId === 'string' ? messageId : ''}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
