import type { z } from 'zod';
import { webhookPurposes, type WebhookPurpose } from './messages/webhook';
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
  /**
   * One queue per process instead of one per service: every process gets every message (a cache to invalidate).
   * Declared by the consuming process alone, named `<queue>.<random suffix>`, classic, non-durable, exclusive and
   * auto-deleted with its connection. Only for messages whose loss costs nothing a reconnect does not heal: it has
   * no retry tiers and no parking queue (`retryDelaysMs` must be empty); a handler failure is logged and acked.
   */
  readonly exclusive?: boolean;
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
 * Retry-After up to an hour). A fixed ladder, so every delay queue exists before a retry needs it. Each rung is
 * a quorum queue in every queue that uses the ladder (five of them): a few coarse rungs, since waiting up to
 * three times what a receiver asked still honours it, and thirteen rungs made a vhost of over a hundred queues.
 */
export const RETRY_AFTER_TIERS_MS: readonly number[] = [1 * SECOND, 5 * SECOND, 15 * SECOND, 1 * MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE];

export const subscriptions = {
  /** An accepted send reaches both at once: response-store records it, the dispatcher delivers it. */
  recordNotification: subscription({
    queue: 'response-store:notification:record',
    publications: [publications.notificationRequested],
    retryDelaysMs: FAST_RETRIES,
  }),
  dispatchNotification: subscription({
    queue: 'notification-dispatcher:notification:dispatch',
    publications: [publications.notificationRequested],
    retryDelaysMs: FAST_RETRIES,
  }),
  /** Pages of 500 destinations (PINGBACK_FANOUT_PAGE_SIZE), shared by every dispatcher copy. */
  fanoutNotification: subscription({
    queue: 'notification-dispatcher:notification:fanout',
    publications: [publications.notificationFanout],
    retryDelaysMs: FAST_RETRIES,
    prefetch: 4,
  }),
  /**
   * Provider deliveries of every kind on one queue, on the provider schedule (1 min, 4 min: seed 003's
   * `max_attempts: 3`). One queue rather than one per kind: each queue costs about 16 quorum queues with its
   * retry tiers, and a slow provider holds at most its attempts' time limit.
   */
  deliverToProvider: subscription({
    queue: 'notification-dispatcher:provider:deliver',
    publications: [publications.notificationDeliver],
    retryDelaysMs: [1 * MINUTE, 4 * MINUTE],
    retryAfterTiersMs: RETRY_AFTER_TIERS_MS,
  }),
  /** The dispatcher stops escalations and shows the answer where the message was delivered. */
  followAnswers: subscription({
    queue: 'notification-dispatcher:message:answered',
    publications: [publications.messageAnswered],
    retryDelaysMs: FAST_RETRIES,
  }),
  /**
   * workflow-tracker acknowledges an alert whose message was answered (its repeats stop), and resumes or ends an
   * instance whose budget approval was decided (on this queue rather than one of its own: each queue costs about
   * 16 quorum queues with its retry tiers).
   */
  acknowledgeAlerts: subscription({
    queue: 'workflow-tracker:message:answered',
    publications: [publications.messageAnswered, publications.approvalDecided],
    retryDelaysMs: FAST_RETRIES,
  }),
  /**
   * approval-service decides an approval whose reviewer answered its message with approve or deny, and opens the
   * approvals other services ask for (a budget's `approve` action), on one queue for the reason above.
   */
  decideApprovals: subscription({
    queue: 'approval-service:message:answered',
    publications: [publications.messageAnswered, publications.approvalRequested],
    retryDelaysMs: FAST_RETRIES,
  }),
  /** Response-store settles an answer's callback; retries in progress do not concern it. */
  settleCallback: subscription({
    queue: 'response-store:webhook:settled',
    publications: [publications.webhookDelivered, publications.webhookFailed],
    retryDelaysMs: FAST_RETRIES,
  }),
  /**
   * The dispatcher keeps each webhook delivery's status, retries included, and switches off the destinations and
   * event endpoints webhook-deliverer disabled (on this queue rather than one of its own: each queue costs about
   * 16 quorum queues with its retry tiers).
   */
  trackDeliveries: subscription({
    queue: 'notification-dispatcher:webhook:settled',
    publications: [publications.webhookDelivered, publications.webhookFailed, publications.webhookAttempted, publications.endpointDisabled],
    retryDelaysMs: FAST_RETRIES,
  }),
  /** Every webhook-deliverer process drops its cached secrets of a signer that rotated or is gone. */
  forgetSigner: subscription({
    queue: 'webhook-deliverer:signer:forget',
    publications: [publications.signerRotated],
    retryDelaysMs: [],
    exclusive: true,
  }),
  /** Every gateway process drops its cached copy of a channel that changed or is gone. */
  forgetChannel: subscription({
    queue: 'ingest-gateway:channel:forget',
    publications: [publications.channelChanged],
    retryDelaysMs: [],
    exclusive: true,
  }),
};

/** webhook-deliverer's queues, one per purpose: `webhook-deliverer:<purpose>:deliver`. */
export const webhookDeliverSubscriptions = Object.fromEntries(
  Object.entries(webhookDeliverPublications).map(([purpose, deliver]) => [
    purpose,
    subscription({
      queue: `webhook-deliverer:${purpose}:deliver`,
      publications: [deliver],
      retryDelaysMs: webhookPurposes[purpose as WebhookPurpose].retryDelaysMs,
      retryAfterTiersMs: RETRY_AFTER_TIERS_MS,
    }),
  ]),
) as Record<WebhookPurpose, Subscription<readonly [(typeof webhookDeliverPublications)[WebhookPurpose]]>>;

/** The whole system's queues: what the broker declares. */
export const allSubscriptions: readonly Subscription[] = [...Object.values(subscriptions), ...Object.values(webhookDeliverSubscriptions)];
