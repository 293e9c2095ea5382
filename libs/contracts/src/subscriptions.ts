import type { z } from 'zod';
import type { WebhookPurpose } from './messages/webhook';
import { publications, webhookDeliverPublications, type Publication } from './publications';

/**
 * Every queue, named once: which publications it receives, its retry schedule and its prefetch. The broker
 * derives the whole RabbitMQ topology from this table (libs/broker/src/topology.ts), and a consumer subscribes
 * with a row of it, so the messages it is handed are the union of its publications' schemas.
 */
export interface Subscription<P extends readonly Publication[] = readonly Publication[]> {
  /** `consumer:entity:action`. PINGBACK_RETRY_SCHEDULES names queues by it. */
  readonly queue: string;
  readonly publications: P;
  /** One retry after each delay: `retryDelaysMs.length + 1` attempts in all. */
  readonly retryDelaysMs: readonly number[];
  /**
   * The delays a handler's requested retry (a receiver's Retry-After) is rounded up to. Only queues whose
   * handlers ask for one have them; every tier is a delay queue declared at start-up (CONTRACT §10).
   */
  readonly retryAfterTiersMs?: readonly number[];
  /** Unacknowledged messages one consumer holds at once (default 32). */
  readonly prefetch?: number;
}

/** The messages a consumer of `S` is handed. */
export type ReceivedMessage<S extends Subscription> = z.infer<S['publications'][number]['schema']>;

export function subscription<const P extends readonly Publication[]>(row: Subscription<P>): Subscription<P> {
  return row;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

const FAST_RETRIES = [1 * SECOND, 5 * SECOND, 30 * SECOND];

/**
 * Where a Retry-After lands: the smallest tier at least as long, up to one hour (CONTRACT §6 honours
 * Retry-After up to an hour). A fixed ladder, so every delay queue exists before a retry needs it.
 */
export const RETRY_AFTER_TIERS_MS: readonly number[] = [
  1 * SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  1 * MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE,
];

/** CONTRACT §6: each purpose's schedule. A new purpose in `WebhookPurpose` gets its row here. */
const WEBHOOK_RETRY_DELAYS_MS: Record<WebhookPurpose, readonly number[]> = {
  /** Answer callbacks: 5 s, 15 s, 30 s, 1 min, 2 min, 5 min. */
  callback: [5 * SECOND, 15 * SECOND, 30 * SECOND, 1 * MINUTE, 2 * MINUTE, 5 * MINUTE],
  /** Provider sends, the webhook destination among them: 1 min, 4 min (seed 003's `max_attempts: 3`). */
  notification: [1 * MINUTE, 4 * MINUTE],
};

export const subscriptions = {
  recordNotification: subscription({
    queue: 'response-store:notification:record',
    publications: [publications.notificationRequested],
    retryDelaysMs: FAST_RETRIES,
  }),
  dispatchNotification: subscription({
    queue: 'notification-dispatcher:notification:dispatch',
    publications: [publications.notificationRecorded],
    retryDelaysMs: FAST_RETRIES,
  }),
  /** Response-store settles an answer's callback; retries in progress do not concern it. */
  settleCallback: subscription({
    queue: 'response-store:webhook:settled',
    publications: [publications.webhookDelivered, publications.webhookFailed],
    retryDelaysMs: FAST_RETRIES,
  }),
  /** The dispatcher keeps each webhook delivery's status, retries included. */
  trackDeliveries: subscription({
    queue: 'notification-dispatcher:webhook:settled',
    publications: [publications.webhookDelivered, publications.webhookFailed, publications.webhookAttempted],
    retryDelaysMs: FAST_RETRIES,
  }),
};

/** webhook-deliverer's queues, one per purpose: `webhook-deliverer:<purpose>:deliver`. */
export const webhookDeliverSubscriptions = Object.fromEntries(
  Object.entries(webhookDeliverPublications).map(([purpose, deliver]) => [
    purpose,
    subscription({
      queue: `webhook-deliverer:${purpose}:deliver`,
      publications: [deliver],
      retryDelaysMs: WEBHOOK_RETRY_DELAYS_MS[purpose as WebhookPurpose],
      retryAfterTiersMs: RETRY_AFTER_TIERS_MS,
    }),
  ]),
) as Record<WebhookPurpose, Subscription<readonly [(typeof webhookDeliverPublications)[WebhookPurpose]]>>;

/** The whole system's queues: what the broker declares. */
export const allSubscriptions: readonly Subscription[] = [...Object.values(subscriptions), ...Object.values(webhookDeliverSubscriptions)];
