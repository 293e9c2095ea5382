import { z } from 'zod';
import { ListQuery, pageOf } from '../http/management-lists';
import { EndpointKind, EndpointRef, WebhookDeliver, WebhookError, WebhookPurpose } from '../messages/webhook';
import { AccountRef } from './dispatcher';
import type { InternalRoute } from './route';

export const OutgoingPostStatus = z.enum(['pending', 'succeeded', 'failed']);
export type OutgoingPostStatus = z.infer<typeof OutgoingPostStatus>;

/** GET /api/deliveries: the account's outgoing POSTs, newest first, all of them or those of one status. */
export const OutgoingPostListQuery = ListQuery.extend({
  status: OutgoingPostStatus.optional(),
  /** Only the POSTs to one registered endpoint, by its id (`dst_…`, `ep_…`, a room's id). */
  endpoint: z.string().min(1).max(100).optional(),
});
export type OutgoingPostListQuery = z.infer<typeof OutgoingPostListQuery>;

/** webhook-deliverer's list route: the account comes from the gateway's authentication, never the caller. */
export const InternalOutgoingPostListQuery = OutgoingPostListQuery.extend({ account_id: z.string().min(1) });
export type InternalOutgoingPostListQuery = z.infer<typeof InternalOutgoingPostListQuery>;

/** One try at an outgoing POST, as its account sees it (GET /api/deliveries). */
export const OutgoingAttemptView = z.object({
  attempt: z.number().int(),
  started_at: z.string(),
  /** null while in flight, or when the process stopped mid-attempt. */
  finished_at: z.string().nullable(),
  outcome: z.enum(['succeeded', 'failed']).nullable(),
  /** The receiver's HTTP status, when it answered. */
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  /** The start of the receiver's answer (at most 1,024 characters). */
  response_body: z.string().nullable(),
  error: WebhookError.nullable(),
});
export type OutgoingAttemptView = z.infer<typeof OutgoingAttemptView>;

/**
 * One outgoing POST (an answer callback `cb_…`, a delivery event `evt_…`, a webhook destination's delivery
 * `dlv_…`), as its account sees it in lists: never its body or its signer.
 */
export const OutgoingPostView = z.object({
  /** Its `webhook-id`: the same on every attempt and on a resend. */
  id: z.string(),
  purpose: WebhookPurpose,
  url: z.string(),
  status: OutgoingPostStatus,
  /** Every attempt made, those before a resend included, oldest first. */
  attempts: z.array(OutgoingAttemptView),
  /** Why it failed, once it failed for good; null otherwise. */
  error: WebhookError.nullable(),
  /** What it is about: a message (callbacks) or a delivery (events, webhook destinations). */
  subject: z.object({ kind: z.string(), id: z.string() }),
  /** The registered URL it went to (a webhook destination, an event endpoint, a room's webhook); null for a send's own URL. */
  endpoint: EndpointRef.nullable(),
  created_at: z.string(),
  /** When it last succeeded or failed for good; null while pending. */
  settled_at: z.string().nullable(),
});
export type OutgoingPostView = z.infer<typeof OutgoingPostView>;

export const OutgoingPostList = pageOf(OutgoingPostView);
export type OutgoingPostList = z.infer<typeof OutgoingPostList>;

export const OutgoingPostResent = z.object({ id: z.string(), status: z.literal('pending') });
export type OutgoingPostResent = z.infer<typeof OutgoingPostResent>;

/** The health of one registered endpoint (issue 13). One that never failed has a count of 0. */
export const EndpointHealthView = z.object({
  kind: EndpointKind,
  id: z.string(),
  /** Failed attempts since the last success. */
  consecutive_failures: z.number().int(),
  /** When it was switched off; null while it is on. */
  disabled_at: z.string().nullable(),
  disabled_reason: z.enum(['gone', 'consecutive_failures']).nullable(),
});
export type EndpointHealthView = z.infer<typeof EndpointHealthView>;

/** A synchronous test POST (a room's outgoing-webhook `test`): sent once, now, never retried; recorded like any other. */
export const TestDeliveryRequest = WebhookDeliver.shape.payload;
export type TestDeliveryRequest = z.infer<typeof TestDeliveryRequest>;
export const TestDeliveryResult = z.object({
  /** The POST's webhook-id, to find it in GET /api/deliveries. */
  id: z.string(),
  success: z.boolean(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int(),
  response_body: z.string().nullable(),
  error: WebhookError.nullable(),
});
export type TestDeliveryResult = z.infer<typeof TestDeliveryResult>;

/** webhook-deliverer's internal port: the outgoing POSTs it records, listed and re-sent for the gateway. */
export const DelivererRoutes = {
  /** GET /api/deliveries: query `InternalOutgoingPostListQuery`. */
  listWebhooks: { method: 'GET', pattern: '/internal/webhooks', response: OutgoingPostList },
  /** A POST that failed for good goes out again, same webhook-id, its purpose's schedule from attempt 1. */
  resendWebhook: { method: 'POST', pattern: '/internal/webhooks/:id/resend', request: AccountRef, response: OutgoingPostResent },
  /** GET /api/deliveries/{id}: query `{ account_id }`; another account's POST is 404. */
  getWebhook: { method: 'GET', pattern: '/internal/account-webhooks/:id', response: OutgoingPostView },
  /** query `{ account_id }`: how an endpoint of the account is doing. */
  endpointHealth: { method: 'GET', pattern: '/internal/endpoints/:kind/:id', response: EndpointHealthView },
  /** The owner switched it back on (or pointed it at a new URL): the count starts again from 0. */
  enableEndpoint: { method: 'POST', pattern: '/internal/endpoints/:kind/:id/enable', request: AccountRef, response: EndpointHealthView },
  testDelivery: { method: 'POST', pattern: '/internal/test-deliveries', request: TestDeliveryRequest, response: TestDeliveryResult },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
