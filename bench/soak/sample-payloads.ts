import { randomUUID } from 'node:crypto';
import { publications, webhookDeliverPublications, type PayloadOf, type Publication } from '@pingback/contracts';

/** A payload each publication's schema accepts: the soak publishes through the broker, which checks them. */
export function samplePayload(publication: Publication): unknown {
  const id = randomUUID();
  const subject = { messageId: `msg_${id}`, channelId: 'ch_soak', deliveryId: null };
  const at = new Date().toISOString();
  switch (publication) {
    case publications.notificationRequested:
      return notificationPayload(id);
    case publications.webhookDelivered:
      return { webhookId: id, purpose: 'callback', subject, attempt: 1, status: 200, latencyMs: 1, at };
    case publications.webhookFailed:
      return { webhookId: id, purpose: 'callback', subject, attempts: 1, error: { code: 'soak', message: 'soak' }, at };
    case publications.webhookAttempted:
      return { webhookId: id, purpose: 'notification', subject, attempt: 1, maxAttempts: 3, error: { code: 'soak', message: 'soak' }, nextRetryAt: at };
  }
  const purpose = Object.entries(webhookDeliverPublications).find(([, candidate]) => candidate === publication)?.[0];
  if (purpose) {
    return { webhookId: id, purpose, url: 'http://127.0.0.1:9/soak', body: {}, signer: { kind: 'channel', id: 'ch_soak' }, subject };
  }
  throw new Error(`the soak has no sample payload for ${publication.type} (${publication.routingKey}): add one`);
}

function notificationPayload(id: string): PayloadOf<typeof publications.notificationRequested> {
  const now = new Date();
  return {
    messageId: `msg_${id}`,
    accountId: 'acc_soak',
    channelId: 'ch_soak',
    title: 'soak',
    body: null,
    priority: 'normal',
    actions: [],
    data: null,
    callbackUrl: null,
    eventsUrl: null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    fallback: [],
    escalation: null,
    deliveries: [],
  };
}
