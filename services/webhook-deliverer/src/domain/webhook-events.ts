import {
  envelopeFor,
  type EndpointDisabled,
  publications,
  type WebhookAttempted,
  type WebhookDelivered,
  type WebhookError,
  type WebhookFailed,
  type WebhookPurpose,
  type WebhookSubject,
} from '@pingback/contracts';
import type { WebhookRecord } from './webhook-record';

export type WebhookOutcomeEvent = WebhookDelivered | WebhookFailed | WebhookAttempted;

/** Everything the deliverer publishes: what each attempt came to, and an endpoint switched off. */
export type DelivererEvent = WebhookOutcomeEvent | EndpointDisabled;

/** The subject as the command carried it, so the requester matches the outcome by what it sent. */
export function subjectOf(webhook: WebhookRecord): WebhookSubject {
  return {
    accountId: webhook.accountId,
    kind: webhook.subjectKind,
    id: webhook.subjectId,
    refs: (webhook.subjectRefs ?? {}) as Record<string, string>,
  };
}

/**
 * The event for a settled webhook, built from its row alone: a redelivered command re-publishes exactly the
 * event the first run published (same envelope id and time), so consumers can drop the copy.
 */
export function settledEvent(webhook: WebhookRecord, traceId: string): WebhookDelivered | WebhookFailed {
  const at = webhook.settledAt ?? new Date();
  const common = { webhookId: webhook.id, purpose: webhook.purpose as WebhookPurpose, subject: subjectOf(webhook) };
  if (webhook.status === 'succeeded') {
    return envelopeFor(
      publications.webhookDelivered,
      {
        ...common,
        attempt: webhook.attempts ?? 1,
        status: webhook.responseStatus ?? 200,
        latencyMs: webhook.latencyMs ?? 0,
        at: at.toISOString(),
      },
      { traceId, id: `${publications.webhookDelivered.type}:${webhook.id}`, occurredAt: at },
    );
  }
  if (webhook.status === 'failed') {
    return envelopeFor(
      publications.webhookFailed,
      {
        ...common,
        attempts: webhook.attempts ?? 1,
        error: { code: webhook.errorCode ?? 'unknown', message: webhook.errorMessage ?? '' },
        at: at.toISOString(),
      },
      { traceId, id: `${publications.webhookFailed.type}:${webhook.id}`, occurredAt: at },
    );
  }
  throw new Error(`webhook ${webhook.id} is ${webhook.status}, not settled`);
}

export function attemptedEvent(
  webhook: WebhookRecord,
  attempt: { attempt: number; maxAttempts: number; error: WebhookError; nextRetryAt: Date; at: Date },
  traceId: string,
): WebhookAttempted {
  return envelopeFor(
    publications.webhookAttempted,
    {
      webhookId: webhook.id,
      purpose: webhook.purpose as WebhookPurpose,
      subject: subjectOf(webhook),
      attempt: attempt.attempt,
      maxAttempts: attempt.maxAttempts,
      error: attempt.error,
      nextRetryAt: attempt.nextRetryAt.toISOString(),
    },
    { traceId, id: `${publications.webhookAttempted.type}:${webhook.id}:${attempt.attempt}`, occurredAt: attempt.at },
  );
}
