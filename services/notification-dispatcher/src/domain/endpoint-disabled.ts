import { createHash } from 'node:crypto';
import { envelopeFor, toSeedTimestamp, webhookDeliverPublications, type EndpointDisabled, type EndpointKind } from '@pingback/contracts';
import type { OutboxEntry } from '@pingback/durable';
import { dispatcherOutbox } from '../data/durable-tables';
import type { DispatcherTx } from '../data/prisma';
import { accountEventTargets, type EventTarget } from './delivery-events';

/** How the account's event endpoints name each kind of endpoint in `endpoint.disabled`. */
const ENDPOINT_TYPES: Record<EndpointKind, string> = {
  destination: 'webhook_destination',
  event_endpoint: 'event_endpoint',
  room_webhook: 'room_webhook',
};

/** An `endpoint.disabled` from before the owner last switched the endpoint back on says nothing about it now. */
const isStale = (enabledAt: Date | null, disabledAt: Date) => enabledAt !== null && enabledAt >= disabledAt;

/**
 * webhook-deliverer switched a registered URL off. Inside the caller's transaction, once per event id (the
 * deliverer publishes it again whenever a command meets the endpoint switched off): the dispatcher's own
 * destination or event endpoint is switched off too, so later sends skip it, and each of the account's other
 * enabled event endpoints is told, through the outbox, with a POST whose webhook-id is derived from the event.
 */
export async function handleEndpointDisabled(tx: DispatcherTx, event: EndpointDisabled): Promise<void> {
  const first = await tx.$executeRaw`INSERT INTO dispatcher.handled_events (id) VALUES (${event.id}) ON CONFLICT (id) DO NOTHING`;
  if (first === 0) return;
  const { accountId, endpoint } = event.payload;
  const disabledAt = new Date(event.payload.disabledAt);
  if (endpoint.kind === 'destination') {
    const destination = await tx.destination.findUnique({ where: { id: endpoint.id }, select: { accountId: true, enabledAt: true } });
    if (destination && (destination.accountId !== accountId || isStale(destination.enabledAt, disabledAt))) return;
    await tx.destination.updateMany({ where: { id: endpoint.id }, data: { active: false } });
  }
  if (endpoint.kind === 'event_endpoint') {
    const eventEndpoint = await tx.eventEndpoint.findUnique({ where: { id: endpoint.id }, select: { accountId: true, enabledAt: true } });
    if (eventEndpoint && (eventEndpoint.accountId !== accountId || isStale(eventEndpoint.enabledAt, disabledAt))) return;
    await tx.eventEndpoint.updateMany({ where: { id: endpoint.id, disabledAt: null }, data: { disabledAt } });
  }
  // A room's outgoing webhook is the gateway's: the dispatcher only tells the account.
  const targets = await accountEventTargets(tx, accountId, endpoint.kind === 'event_endpoint' ? endpoint.id : undefined);
  await dispatcherOutbox.append(tx, endpointDisabledOutbox(event, targets));
}

/** The body each event endpoint receives (timestamps as seed 003 writes them). */
export function endpointDisabledBody(event: EndpointDisabled) {
  const { endpoint, url, reason, consecutiveFailures, disabledAt } = event.payload;
  return {
    event: 'endpoint.disabled',
    endpoint: { type: ENDPOINT_TYPES[endpoint.kind], id: endpoint.id, url },
    reason,
    consecutive_failures: consecutiveFailures,
    disabled_at: toSeedTimestamp(disabledAt),
    timestamp: toSeedTimestamp(disabledAt),
  };
}

function endpointDisabledOutbox(event: EndpointDisabled, targets: readonly EventTarget[]): OutboxEntry[] {
  const publication = webhookDeliverPublications.delivery_event;
  const { accountId, endpoint } = event.payload;
  return targets.map((target) => {
    const webhookId = `evt_${createHash('sha256').update(`${event.id}\u0000${target.signer.kind}:${target.signer.id}`).digest('base64url').slice(0, 26)}`;
    const envelope = envelopeFor(
      publication,
      {
        webhookId,
        purpose: 'delivery_event',
        url: target.url,
        body: endpointDisabledBody(event),
        signer: target.signer,
        subject: { accountId, kind: 'endpoint', id: endpoint.id, refs: { endpointKind: endpoint.kind, event: 'endpoint.disabled', endpointId: target.signer.id } },
        endpoint: target.endpoint,
      },
      { id: webhookId, traceId: event.traceId },
    );
    return { id: envelope.id, publication: publication.routingKey, envelope };
  });
}
