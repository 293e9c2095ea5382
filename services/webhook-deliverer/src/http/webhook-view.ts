import { WebhookError, WebhookPurpose, WebhookSubject, type OutgoingAttemptView, type OutgoingPostView } from '@pingback/contracts';
import { z } from 'zod';
import type { WebhookSummary, WebhookWithAttempts } from '../data/webhook.repository';
import { endpointOf } from '../domain/endpoint-health';
import { subjectOf } from '../domain/webhook-events';

// The internal read shape of one outgoing POST, for the gateway's GET /api/messages/{id}. It belongs in
// @pingback/contracts once the gateway reads it.

export const WebhookAttemptView = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** null: in flight, or cut short when the process stopped. */
  outcome: z.enum(['succeeded', 'failed']).nullable(),
  responseStatus: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  error: WebhookError.nullable(),
});
export type WebhookAttemptView = z.infer<typeof WebhookAttemptView>;

export const WebhookView = z.object({
  id: z.string(),
  purpose: WebhookPurpose,
  url: z.string(),
  subject: WebhookSubject,
  status: z.enum(['pending', 'succeeded', 'failed']),
  createdAt: z.string(),
  settledAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  error: WebhookError.nullable(),
  attempts: z.array(WebhookAttemptView),
});
export type WebhookView = z.infer<typeof WebhookView>;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const errorOf = (row: { errorCode: string | null; errorMessage: string | null }) =>
  row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? '' };

export function toWebhookView(webhook: WebhookWithAttempts): WebhookView {
  return {
    id: webhook.id,
    purpose: webhook.purpose as WebhookPurpose,
    url: webhook.url,
    subject: subjectOf(webhook),
    status: webhook.status as WebhookView['status'],
    createdAt: webhook.createdAt.toISOString(),
    settledAt: iso(webhook.settledAt),
    nextAttemptAt: iso(webhook.nextAttemptAt),
    responseStatus: webhook.responseStatus,
    error: errorOf(webhook),
    attempts: webhook.attemptRows.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt.toISOString(),
      finishedAt: iso(attempt.finishedAt),
      outcome: attempt.outcome as WebhookAttemptView['outcome'],
      responseStatus: attempt.responseStatus,
      latencyMs: attempt.latencyMs,
      error: errorOf(attempt),
    })),
  };
}

/** One POST of an account, with every attempt (GET /api/deliveries and GET /api/deliveries/{id}). */
export function toOutgoingPostView(webhook: WebhookSummary): OutgoingPostView {
  return {
    id: webhook.id,
    purpose: webhook.purpose as WebhookPurpose,
    url: webhook.url,
    status: webhook.status as OutgoingPostView['status'],
    attempts: webhook.attemptRows.map((attempt) => ({
      attempt: attempt.attempt,
      started_at: attempt.startedAt.toISOString(),
      finished_at: iso(attempt.finishedAt),
      outcome: attempt.outcome as OutgoingAttemptView['outcome'],
      status_code: attempt.responseStatus,
      latency_ms: attempt.latencyMs,
      response_body: attempt.responseExcerpt,
      error: errorOf(attempt),
    })),
    error: errorOf(webhook),
    subject: { kind: webhook.subjectKind, id: webhook.subjectId },
    endpoint: endpointOf(webhook),
    created_at: webhook.createdAt.toISOString(),
    settled_at: iso(webhook.settledAt),
  };
}
