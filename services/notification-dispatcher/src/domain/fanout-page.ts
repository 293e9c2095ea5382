import type { Broker } from '@pingback/broker';
import { publications, webhookDeliverPublications } from '@pingback/contracts';
import type { OutboxEntry } from '@pingback/durable';
import { deliveryIdFor, type Keyring } from '@pingback/security';
import { recipientOf, type Adapters } from '../adapters/adapters';
import type { Prisma } from '../generated/prisma/client';
import type { DispatcherTx } from '../data/prisma';
import { adapterSettings } from './destination-settings';
import { eventBodies, eventOutbox, type EventTarget } from './delivery-events';
import { selectionOf, type RoundSelection } from './fanout-rounds';
import type { NotificationContent } from './notification-content';
import { notificationWebhookBody } from './notification-webhook-body';
import { respondUrl } from './respond-url';

export interface FanoutDeps {
  keyring: Keyring;
  publicUrl: string;
  pageSize: number;
  adapters: Adapters;
}

/** A delivery a page made (or found made by an earlier run of the same page), ready to hand out. */
export interface PlannedDelivery {
  id: string;
  kind: string;
  url: string | null;
  recipient: string;
  /** The destination it is made for: a webhook's POST counts toward that endpoint's health. */
  destinationId: string | null;
  /** A webhook's POST id when it is not the delivery id: a resend is a new POST (the first one failed for good). */
  postId?: string;
}

export interface WrittenPage {
  deliveries: PlannedDelivery[];
  /** Outbox rows the page's transaction must append (fallback events). */
  outbox: OutboxEntry[];
  /** The keyset position of the next page, or null when this was the last. */
  nextAfter: string | null;
}

const anyOf = (selector: { ids: string[]; kinds: string[] }): Prisma.DestinationWhereInput => ({
  OR: [{ id: { in: selector.ids } }, { kind: { in: selector.kinds } }],
});

function selectionWhere(selection: RoundSelection): Prisma.DestinationWhereInput {
  return {
    ...(selection.include ? anyOf(selection.include) : {}),
    ...(selection.exclude ? { NOT: anyOf(selection.exclude) } : {}),
  };
}

/**
 * Writes one page of a round inside the caller's transaction: up to `pageSize` of the channel's active
 * destinations after `after` (keyset on id), those that existed when the message was sent, become deliveries with
 * derived ids, so the same page written twice makes no delivery twice. Deliveries of a fallback round announce
 * themselves with `notification.fallback`.
 */
export async function writePage(
  tx: DispatcherTx,
  deps: FanoutDeps,
  content: NotificationContent,
  round: string,
  after: string | null,
  eventTargets: () => Promise<EventTarget[]>,
): Promise<WrittenPage> {
  const selection = selectionOf(content, round);
  if (!selection) return { deliveries: [], outbox: [], nextAfter: null };
  const destinations = await tx.destination.findMany({
    where: {
      channelId: content.channelId,
      active: true,
      createdAt: { lte: content.createdAt },
      ...(after ? { id: { gt: after } } : {}),
      ...selectionWhere(selection),
    },
    orderBy: { id: 'asc' },
    take: deps.pageSize + 1,
  });
  const page = destinations.slice(0, deps.pageSize);
  const deliveries = page.map((destination) => {
    const settings = adapterSettings(deps.keyring, destination) as Record<string, unknown>;
    return {
      id: deliveryIdFor(content.messageId, round, destination.id),
      kind: destination.kind,
      destinationId: destination.id,
      url: destination.kind === 'webhook' ? String(settings.url) : null,
      recipient: recipientOf(deps.adapters, destination.kind, settings),
    };
  });
  if (deliveries.length === 0) return { deliveries: [], outbox: [], nextAfter: null };
  const created = await tx.delivery.createManyAndReturn({
    data: deliveries.map((d) => ({ ...d, messageId: content.messageId, round })),
    skipDuplicates: true,
    select: { id: true },
  });
  let outbox: OutboxEntry[] = [];
  if (round.startsWith('fallback:') && created.length > 0) {
    const targets = await eventTargets();
    const createdIds = new Set(created.map((row) => row.id));
    const at = new Date();
    outbox = deliveries
      .filter((d) => createdIds.has(d.id))
      .flatMap((d) => eventOutbox(content, d, eventBodies.fallback(content, d, { at }), round, targets));
  }
  return {
    deliveries: deliveries.map(({ id, kind, url, recipient, destinationId }) => ({ id, kind, url, recipient, destinationId })),
    outbox,
    nextAfter: destinations.length > deps.pageSize ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * Hands each delivery out, after the page's transaction committed: a webhook to webhook-deliverer (its
 * webhook-id is the delivery id, so asking twice sends once), any other kind to the provider queue. Publishes go
 * out together and are confirmed together. A page handled again publishes again: the consumers settle by state.
 */
export function publishDeliveries(broker: Broker, deps: FanoutDeps, content: NotificationContent, deliveries: readonly PlannedDelivery[], traceId: string): Promise<unknown> {
  const now = new Date();
  return Promise.all(
    deliveries.map((delivery) => {
      if (delivery.kind === 'webhook' && delivery.url) {
        const postId = delivery.postId ?? delivery.id;
        return broker.publish(
          webhookDeliverPublications.notification,
          {
            webhookId: postId,
            purpose: 'notification',
            url: delivery.url,
            body: notificationWebhookBody(content, delivery.id, respondUrl(deps.publicUrl, deps.keyring, delivery.id), now),
            signer: { kind: 'channel', id: content.channelId },
            subject: { accountId: content.accountId, kind: 'delivery', id: delivery.id, refs: { messageId: content.messageId, channelId: content.channelId } },
            endpoint: delivery.destinationId ? { kind: 'destination', id: delivery.destinationId } : null,
          },
          { traceId, id: `${postId}:deliver` },
        );
      }
      return broker.publish(publications.notificationDeliver, { deliveryId: delivery.id, kind: delivery.kind, purpose: 'send' }, { traceId, id: `${delivery.id}:deliver` });
    }),
  );
}

/** Asks any dispatcher copy for the next page. */
export function publishNextPage(broker: Broker, messageId: string, round: string, after: string, traceId: string): Promise<unknown> {
  return broker.publish(publications.notificationFanout, { messageId, round, after }, { traceId, id: `fanout:${messageId}:${round}:${after}` });
}
