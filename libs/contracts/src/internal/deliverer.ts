import { z } from 'zod';
import { ListQuery, pageOf } from '../http/management-lists';
import { WebhookError, WebhookPurpose } from '../messages/webhook';
import { AccountRef } from './dispatcher';
import type { InternalRoute } from './route';

export const OutgoingPostStatus = z.enum(['pending', 'succeeded', 'failed']);
export type OutgoingPostStatus = z.infer<typeof OutgoingPostStatus>;

/** GET /api/deliveries: the account's outgoing POSTs, newest first, all of them or those of one status. */
export const OutgoingPostListQuery = ListQuery.extend({ status: OutgoingPostStatus.optional() });
export type OutgoingPostListQuery = z.infer<typeof OutgoingPostListQuery>;

/** webhook-deliverer's list route: the account comes from the gateway's authentication, never the caller. */
export const InternalOutgoingPostListQuery = OutgoingPostListQuery.extend({ account_id: z.string().min(1) });
export type InternalOutgoingPostListQuery = z.infer<typeof InternalOutgoingPostListQuery>;

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
  /** Every attempt made, those before a resend included. */
  attempts: z.number().int(),
  /** Why it failed, once it failed for good; null otherwise. */
  error: WebhookError.nullable(),
  /** What it is about: a message (callbacks) or a delivery (events, webhook destinations). */
  subject: z.object({ kind: z.string(), id: z.string() }),
  created_at: z.string(),
  /** When it last succeeded or failed for good; null while pending. */
  settled_at: z.string().nullable(),
});
export type OutgoingPostView = z.infer<typeof OutgoingPostView>;

export const OutgoingPostList = pageOf(OutgoingPostView);
export type OutgoingPostList = z.infer<typeof OutgoingPostList>;

export const OutgoingPostResent = z.object({ id: z.string(), status: z.literal('pending') });
export type OutgoingPostResent = z.infer<typeof OutgoingPostResent>;

/** webhook-deliverer's internal port: the outgoing POSTs it records, listed and re-sent for the gateway. */
export const DelivererRoutes = {
  /** GET /api/deliveries: query `InternalOutgoingPostListQuery`. */
  listWebhooks: { method: 'GET', pattern: '/internal/webhooks', response: OutgoingPostList },
  /** A POST that failed for good goes out again, same webhook-id, its purpose's schedule from attempt 1. */
  resendWebhook: { method: 'POST', pattern: '/internal/webhooks/:id/resend', request: AccountRef, response: OutgoingPostResent },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
