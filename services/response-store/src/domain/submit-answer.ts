import { envelopeFor, publications, unavailableError, webhookDeliverPublications, type AnswerRequest } from '@pingback/contracts';
import { verifySignedId, type Keyring } from '@pingback/security';
import type { AnsweredMarkers } from '../cache/answered-markers';
import { actionsOf, type MessageRepository, type OutboxEntry, type StoredMessage } from '../data/message.repository';
import { answerResult } from './answer-view';
import type { Clock } from './clock';
import { alreadyResponded, linkExpired, linkNotFound } from './response-errors';
import { validateAnswer } from './validate-answer';

export interface SubmitAnswerDeps {
  repo: MessageRepository;
  markers: AnsweredMarkers;
  keyring: Keyring;
  clock: Clock;
  readWindowMs: number;
  maxTextAnswerChars: number;
  /** How long an authentic link waits for its message to be recorded (PINGBACK_LINK_RECORD_WAIT_MS). */
  recordWaitMs: number;
}

const RECORD_POLL_MS = 25;

/**
 * Resolves a respond token to its delivery and message. A link we signed names a delivery of an accepted send;
 * the dispatcher delivers it while this service records it (both take the same command), so a link opened in
 * the first instants may arrive before the record: it waits for it, then asks to be tried again (503) rather
 * than calling an authentic link unknown. A link we did not sign is not_found at once.
 */
export async function messageForLink(deps: Pick<SubmitAnswerDeps, 'repo' | 'keyring' | 'recordWaitMs'>, token: string) {
  const deliveryId = verifySignedId(deps.keyring, 'respond-link', token);
  if (!deliveryId) throw linkNotFound();
  const deadline = Date.now() + deps.recordWaitMs;
  for (;;) {
    const message = await deps.repo.findByDeliveryId(deliveryId);
    if (message) return { deliveryId, message };
    if (Date.now() >= deadline) throw unavailableError('this message is still being recorded: try again in a moment');
    await new Promise((resolve) => setTimeout(resolve, RECORD_POLL_MS));
  }
}

/**
 * Accepts the first valid answer to a message, from any of its links. Later answers get
 * already_responded, answers after the window link_expired.
 */
export async function submitAnswer(deps: SubmitAnswerDeps, token: string, answer: AnswerRequest, traceId: string): Promise<StoredMessage> {
  const { deliveryId, message } = await messageForLink(deps, token);
  if (message.status === 'answered' || (await deps.markers.isAnswered(message.id))) throw alreadyResponded();
  const now = deps.clock.now();
  if (message.expiresAt <= now) throw linkExpired();
  validateAnswer(actionsOf(message), answer, deps.maxTextAnswerChars);

  const accepted = await deps.repo.acceptAnswer(
    message.id,
    { deliveryId, triggeredBy: answer.triggered_by, responses: answer.responses, answeredAt: now },
    (answered) => [...callbackOutbox(answered, traceId), answeredOutbox(answered, traceId)],
  );
  if (!accepted) {
    const current = await deps.repo.findById(message.id);
    if (current?.status === 'answered') throw alreadyResponded();
    throw linkExpired();
  }
  await deps.markers.markAnswered(message.id, message.expiresAt.getTime() - now.getTime() + deps.readWindowMs);
  return accepted;
}

/** Tells the dispatcher: it stops the message's escalation and shows the answer where the message was delivered. */
function answeredOutbox(message: StoredMessage, traceId: string): OutboxEntry {
  const answered = publications.messageAnswered;
  const envelope = envelopeFor(
    answered,
    {
      messageId: message.id,
      accountId: message.accountId,
      channelId: message.channelId,
      deliveryId: message.answeredVia,
      triggeredBy: message.triggeredBy ?? '',
      responses: (message.responses ?? {}) as Record<string, unknown>,
      answeredAt: (message.answeredAt ?? new Date()).toISOString(),
    },
    { traceId, id: `answered:${message.id}` },
  );
  return { id: envelope.id, publication: answered.routingKey, envelope };
}

/** The answer's callback, when the send asked for one: seed 001's body, POSTed by webhook-deliverer. */
function callbackOutbox(message: StoredMessage, traceId: string): OutboxEntry[] {
  if (!message.callbackUrl) return [];
  const callback = webhookDeliverPublications.callback;
  const envelope = envelopeFor(
    callback,
    {
      webhookId: `cb_${message.id}`,
      purpose: 'callback',
      url: message.callbackUrl,
      body: answerResult(message),
      signer: { kind: 'channel', id: message.channelId },
      // A send's own URL: its failures are this POST's alone, no endpoint's health (issue 13).
      endpoint: null,
      subject: {
        accountId: message.accountId,
        kind: 'message',
        id: message.id,
        refs: { channelId: message.channelId, ...(message.answeredVia ? { deliveryId: message.answeredVia } : {}) },
      },
    },
    { traceId },
  );
  return [{ id: envelope.id, publication: callback.routingKey, envelope }];
}
