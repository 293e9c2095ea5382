import { InvalidMessageError, type Broker } from '@pingback/broker';
import { DomainError, publications, toEscalationPolicy, unavailableError, type NotificationPayload, type SendRequest } from '@pingback/contracts';
import { checkUrlSyntax, createMessageId, newId, UnsafeUrlError, type Keyring } from '@pingback/security';
import type { StoredChannel } from '../data/channel.repository';

export interface SendDeps {
  broker: Broker;
  keyring: Keyring;
  allowPrivateTargets: boolean;
  defaultExpiresInSeconds: number;
  now: () => Date;
}

/** A send's own URLs get the syntax and literal-address checks only: a send does no DNS lookup (CONTRACT §6). */
function checkedSendUrl(url: string | undefined, field: string, allowPrivate: boolean): string | null {
  if (!url) return null;
  try {
    checkUrlSyntax(url, { allowPrivate });
    return url;
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new DomainError('unsafe_url', `${field}: ${err.message}`, { reason: err.reason, field });
    throw err;
  }
}

/** The command of one send to one channel: what response-store records and the dispatcher delivers. */
export function notificationPayload(deps: SendDeps, channel: StoredChannel, request: SendRequest, now: Date): NotificationPayload {
  return {
    messageId: createMessageId(deps.keyring, channel.id),
    accountId: channel.accountId,
    channelId: channel.id,
    title: request.title,
    body: request.body ?? null,
    priority: request.priority,
    actions: request.actions,
    data: request.data ?? null,
    callbackUrl: checkedSendUrl(request.callback_url, 'callback_url', deps.allowPrivateTargets),
    eventsUrl: checkedSendUrl(request.events_url, 'events_url', deps.allowPrivateTargets),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (request.expires_in ?? deps.defaultExpiresInSeconds) * 1000).toISOString(),
    deliveries: [{ id: newId('dlv_'), kind: 'web', destinationId: null, url: null }],
    fallback: request.fallback ?? [],
    escalation: request.escalation ? toEscalationPolicy(request.escalation) : null,
  };
}

/** Publishes a send's command and waits for the broker's confirm; with the broker down, 503 at once. */
export async function publishNotification(deps: Pick<SendDeps, 'broker'>, payload: NotificationPayload, traceId: string): Promise<void> {
  try {
    await deps.broker.publish(publications.notificationRequested, payload, { traceId, id: payload.messageId, occurredAt: new Date(payload.createdAt) });
  } catch (error) {
    // A payload its own schema refuses is our bug: a 500 that is logged, not a 503 that clients retry for ever.
    if (error instanceof InvalidMessageError) throw error;
    throw unavailableError('the message could not be queued, try again shortly');
  }
}

/**
 * Accepts a send: the channel's destinations are the dispatcher's to fan out, so a send to ten thousand costs the
 * gateway what a send to one does. Answers with the message id only after the broker confirmed the command into a queue,
 * so a 200 means the message is not lost. With the broker down the caller gets 503 at once.
 */
export async function sendNotification(deps: SendDeps, channel: StoredChannel, request: SendRequest, traceId: string): Promise<string> {
  const payload = notificationPayload(deps, channel, request, deps.now());
  await publishNotification(deps, payload, traceId);
  return payload.messageId;
}
