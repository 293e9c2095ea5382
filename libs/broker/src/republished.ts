import type { Message, Options } from 'amqplib';
import { withoutBrokerHeaders } from './headers';

/**
 * The publish options that carry a consumed message on unchanged (to a delay queue, the parking queue, or back
 * to its work queue): its properties, persistent, its headers less RabbitMQ's own, with `changes` applied
 * (a header set to undefined is dropped).
 */
export function republished(
  message: Message,
  headers: Record<string, unknown>,
  changes: Record<string, unknown>,
): Options.Publish {
  const properties = message.properties;
  return {
    persistent: true,
    contentType: properties.contentType as string | undefined,
    contentEncoding: properties.contentEncoding as string | undefined,
    messageId: properties.messageId as string | undefined,
    type: properties.type as string | undefined,
    timestamp: properties.timestamp as number | undefined,
    correlationId: properties.correlationId as string | undefined,
    appId: properties.appId as string | undefined,
    headers: dropUndefined({ ...withoutBrokerHeaders(headers), ...changes }),
  };
}

function dropUndefined(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}
