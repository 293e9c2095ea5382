import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ApprovalDecided, ApprovalRequested } from './messages/approval';
import { MessageAnswered, NotificationDeliver, NotificationFanout, NotificationRequested } from './messages/notification';
import { ChannelChanged, EndpointDisabled, SignerRotated, WebhookAttempted, WebhookDeliver, WebhookDelivered, WebhookFailed, webhookPurposes, type WebhookPurpose } from './messages/webhook';

/**
 * Every broker message, named once: its envelope schema (which fixes its type and version), the exchange it is
 * published to and its routing key. Services publish and bind through these rows, never through strings.
 * Routing keys read `entity.event` for events and `entity.command[.variant]` for commands.
 */
export const EXCHANGES = {
  /** Work for one service to do. */
  commands: 'pingback.commands',
  /** Facts; any service may bind a queue of its own. */
  events: 'pingback.events',
} as const;

/** What every envelope schema accepts (libs/contracts/src/envelope.ts); `type` and `version` are literals. */
interface EnvelopeShape {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  traceId: string;
  payload: unknown;
}

/** An envelope schema made by `envelopeOf`: an object whose `type` and `version` are single literals. */
export type MessageSchema = z.ZodType<EnvelopeShape> & {
  shape: { type: { values: Set<string> }; version: { values: Set<number> } };
};

export interface Publication<S extends MessageSchema = MessageSchema> {
  readonly schema: S;
  readonly type: z.infer<S>['type'];
  readonly version: z.infer<S>['version'];
  readonly exchange: string;
  readonly routingKey: string;
}

/** The envelope a publication carries, and its payload. */
export type MessageOf<P extends Publication> = z.infer<P['schema']>;
export type PayloadOf<P extends Publication> = MessageOf<P>['payload'];

export function publication<S extends MessageSchema>(schema: S, route: { exchange: string; routingKey: string }): Publication<S> {
  return {
    schema,
    type: onlyValue(schema.shape.type.values, 'type') as z.infer<S>['type'],
    version: onlyValue(schema.shape.version.values, 'version') as z.infer<S>['version'],
    exchange: route.exchange,
    routingKey: route.routingKey,
  };
}

function onlyValue<T>(values: Set<T>, field: string): T {
  const [value, ...others] = values;
  if (value === undefined || others.length > 0) throw new Error(`a message schema needs one literal ${field}`);
  return value;
}

export interface EnvelopeOptions {
  /** Continues the trace of the request or message this one follows from; a new one otherwise. */
  traceId?: string;
  /**
   * A fixed id makes a re-publish the same message (consumers deduplicate by id): derive it from what the
   * message is about when a retry or a redelivery may publish it again.
   */
  id?: string;
  occurredAt?: Date;
}

/** Wraps a payload in the envelope of `publication`. Builds only: the broker validates when it publishes. */
export function envelopeFor<P extends Publication>(publication: P, payload: PayloadOf<P>, options: EnvelopeOptions = {}): MessageOf<P> {
  return {
    id: options.id ?? randomUUID(),
    type: publication.type,
    version: publication.version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    traceId: options.traceId ?? randomUUID(),
    payload,
  } as MessageOf<P>;
}

export const publications = {
  /** Gateway → response-store (records it) and dispatcher (delivers it): a send was accepted. */
  notificationRequested: publication(NotificationRequested, { exchange: EXCHANGES.commands, routingKey: 'notification.requested' }),
  /** Dispatcher → dispatcher: one page of a fan-out (any copy takes it). */
  notificationFanout: publication(NotificationFanout, { exchange: EXCHANGES.commands, routingKey: 'notification.fanout' }),
  /** Dispatcher → dispatcher: one provider delivery's attempt. */
  notificationDeliver: publication(NotificationDeliver, { exchange: EXCHANGES.commands, routingKey: 'notification.deliver' }),
  /** Response-store → dispatcher (stops escalation, shows the answer where it was delivered). */
  messageAnswered: publication(MessageAnswered, { exchange: EXCHANGES.events, routingKey: 'message.answered' }),
  webhookDelivered: publication(WebhookDelivered, { exchange: EXCHANGES.events, routingKey: 'webhook.delivered' }),
  webhookFailed: publication(WebhookFailed, { exchange: EXCHANGES.events, routingKey: 'webhook.failed' }),
  webhookAttempted: publication(WebhookAttempted, { exchange: EXCHANGES.events, routingKey: 'webhook.attempted' }),
  /** webhook-deliverer → the endpoint's owner and the account's event endpoints: a registered URL was switched off. */
  endpointDisabled: publication(EndpointDisabled, { exchange: EXCHANGES.events, routingKey: 'endpoint.disabled' }),
  /** A signer's owner (the gateway, for channels) → every webhook-deliverer process: drop the cached secrets. */
  signerRotated: publication(SignerRotated, { exchange: EXCHANGES.events, routingKey: 'signer.rotated' }),
  /** workflow-tracker → approval-service: a budget's `approve` action paused an instance; ask its reviewers. */
  approvalRequested: publication(ApprovalRequested, { exchange: EXCHANGES.commands, routingKey: 'approval.request' }),
  /** approval-service → the service that asked for the approval: how it ended. */
  approvalDecided: publication(ApprovalDecided, { exchange: EXCHANGES.events, routingKey: 'approval.decided' }),
  /** The gateway → every gateway process: drop the cached channel (the send path reads channels from memory). */
  channelChanged: publication(ChannelChanged, { exchange: EXCHANGES.events, routingKey: 'channel.changed' }),
};

/**
 * Anyone → webhook-deliverer: one publication per purpose of `webhookPurposes`, so each purpose lands on a
 * queue of its own with its own retry schedule (CONTRACT §6).
 */
export const webhookDeliverPublications = Object.fromEntries(
  (Object.keys(webhookPurposes) as WebhookPurpose[]).map((purpose) => [
    purpose,
    publication(WebhookDeliver, { exchange: EXCHANGES.commands, routingKey: `webhook.deliver.${purpose}` }),
  ]),
) as Record<WebhookPurpose, Publication<typeof WebhookDeliver>>;

/** The outcome events of an outgoing POST, by type: what webhook-deliverer publishes after each attempt. */
export const webhookOutcomePublications = {
  [publications.webhookDelivered.type]: publications.webhookDelivered,
  [publications.webhookFailed.type]: publications.webhookFailed,
  [publications.webhookAttempted.type]: publications.webhookAttempted,
};

export const allPublications: readonly Publication[] = [...Object.values(publications), ...Object.values(webhookDeliverPublications)];

/**
 * The publication a stored name refers to (an outbox row keeps its publication's routing key, unique across the
 * table), or an error naming it.
 */
export function publicationNamed(routingKey: string): Publication {
  const found = allPublications.filter((candidate) => candidate.routingKey === routingKey);
  if (found.length !== 1) throw new Error(`no single publication has the routing key "${routingKey}"`);
  return found[0]!;
}
