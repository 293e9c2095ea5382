import { createHash } from 'node:crypto';
import { envelopeFor, toSeedTimestamp, webhookDeliverPublications, type EndpointRef, type WebhookSigner } from '@pingback/contracts';
import type { OutboxEntry } from '@pingback/durable';
import type { DispatcherTx } from '../data/prisma';
import type { NotificationContent } from './notification-content';

/** Seed 003's events, each as its table describes it. */
export type DeliveryEventName = 'notification.delivered' | 'notification.failed' | 'notification.retrying' | 'notification.bounced' | 'notification.fallback';

/** Where a message's events go: the send's `events_url`, signed with the channel's secret; else each of the account's endpoints. */
export interface EventTarget {
  url: string;
  signer: WebhookSigner;
  /** The account's event endpoint, whose health counts the POST; null for a send's own `events_url`. */
  endpoint: EndpointRef | null;
}

export async function eventTargets(tx: DispatcherTx, content: Pick<NotificationContent, 'eventsUrl' | 'channelId' | 'accountId'>): Promise<EventTarget[]> {
  if (content.eventsUrl) return [{ url: content.eventsUrl, signer: { kind: 'channel', id: content.channelId }, endpoint: null }];
  return accountEventTargets(tx, content.accountId);
}

/**
 * The account's enabled event endpoints, but `except`. One is disabled when webhook-deliverer switched it off
 * (a 410, or too many failures in a row), until its owner enables it again.
 */
export async function accountEventTargets(tx: DispatcherTx, accountId: string, except?: string): Promise<EventTarget[]> {
  const endpoints = await tx.eventEndpoint.findMany({
    where: { accountId, disabledAt: null, ...(except ? { id: { not: except } } : {}) },
    select: { id: true, url: true },
  });
  return endpoints.map((endpoint) => ({ url: endpoint.url, signer: { kind: 'endpoint', id: endpoint.id }, endpoint: { kind: 'event_endpoint', id: endpoint.id } }));
}

export interface DeliveryFacts {
  id: string;
  kind: string;
  recipient: string | null;
}

const seconds = (date: Date) => toSeedTimestamp(date);

/** Seed 003's payloads, field for field (the seed shows delivered, failed and retrying; bounced and fallback follow them). */
export const eventBodies = {
  delivered: (content: NotificationContent, delivery: DeliveryFacts, facts: { at: Date; attempt: number }) => ({
    event: 'notification.delivered',
    notification_id: content.messageId,
    channel: delivery.kind,
    status: 'delivered',
    recipient: delivery.recipient,
    delivered_at: seconds(facts.at),
    latency_ms: Math.max(0, facts.at.getTime() - content.createdAt.getTime()),
    attempt: facts.attempt,
    metadata: content.data ?? {},
    timestamp: seconds(facts.at),
  }),
  failed: (
    content: NotificationContent,
    delivery: DeliveryFacts,
    facts: { event: 'notification.failed' | 'notification.bounced'; error: { code: string; message: string }; attempts: number; firstAttemptAt: Date; lastAttemptAt: Date; at: Date },
  ) => ({
    event: facts.event,
    notification_id: content.messageId,
    channel: delivery.kind,
    status: facts.event === 'notification.bounced' ? 'bounced' : 'failed',
    recipient: delivery.recipient,
    error: facts.error,
    attempts: facts.attempts,
    first_attempt_at: seconds(facts.firstAttemptAt),
    last_attempt_at: seconds(facts.lastAttemptAt),
    metadata: content.data ?? {},
    timestamp: seconds(facts.at),
  }),
  retrying: (
    content: NotificationContent,
    delivery: DeliveryFacts,
    facts: { attempt: number; maxAttempts: number; nextRetryAt: Date; error: { code: string; message: string }; at: Date },
  ) => ({
    event: 'notification.retrying',
    notification_id: content.messageId,
    channel: delivery.kind,
    status: 'retrying',
    attempt: facts.attempt,
    max_attempts: facts.maxAttempts,
    next_retry_at: seconds(facts.nextRetryAt),
    error: facts.error,
    timestamp: seconds(facts.at),
  }),
  fallback: (content: NotificationContent, delivery: DeliveryFacts, facts: { at: Date }) => ({
    event: 'notification.fallback',
    notification_id: content.messageId,
    channel: delivery.kind,
    status: 'fallback',
    recipient: delivery.recipient,
    metadata: content.data ?? {},
    timestamp: seconds(facts.at),
  }),
};

/**
 * One outbox row per target: a `webhook.deliver.delivery_event` command. Its webhook-id is derived from the
 * delivery, the event, its attempt and the target, so writing the same event twice asks for one POST.
 */
export function eventOutbox(
  content: NotificationContent,
  delivery: DeliveryFacts,
  body: { event: string } & Record<string, unknown>,
  occurrence: string,
  targets: readonly EventTarget[],
  traceId?: string,
): OutboxEntry[] {
  const publication = webhookDeliverPublications.delivery_event;
  return targets.map((target) => {
    const webhookId = `evt_${createHash('sha256').update(`${delivery.id}\u0000${body.event}\u0000${occurrence}\u0000${target.signer.kind}:${target.signer.id}`).digest('base64url').slice(0, 26)}`;
    const envelope = envelopeFor(
      publication,
      {
        webhookId,
        purpose: 'delivery_event',
        url: target.url,
        body,
        signer: target.signer,
        subject: {
          accountId: content.accountId,
          kind: 'delivery_event',
          id: delivery.id,
          refs: { messageId: content.messageId, event: body.event, ...(target.signer.kind === 'endpoint' ? { endpointId: target.signer.id } : {}) },
        },
        endpoint: target.endpoint,
      },
      { id: webhookId, ...(traceId ? { traceId } : {}) },
    );
    return { id: envelope.id, publication: publication.routingKey, envelope };
  });
}
