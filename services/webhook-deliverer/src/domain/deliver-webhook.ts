import type { EndpointRef, WebhookDeliver } from '@pingback/contracts';
import type { Logger } from '@pingback/observability';
import { redactTargetUrl } from '@pingback/security';
import type { EndpointHealthRepository } from '../data/endpoint-health.repository';
import type { WebhookRepository } from '../data/webhook.repository';
import type { DelivererMetrics } from '../metrics';
import type { AttemptResult } from './attempt-result';
import {
  countsAgainstEndpoint,
  disabledEndpointError,
  endpointDisabledEvent,
  endpointOf,
  isDisabled,
  type DisabledEndpoint,
} from './endpoint-health';
import { sendAttempt, type SendAttemptDeps } from './send-attempt';
import { attemptedEvent, settledEvent, type DelivererEvent } from './webhook-events';
import type { WebhookRecord } from './webhook-record';

/** Where this delivery stands in its retry schedule, as the broker counts it. */
export interface AttemptContext {
  /** 1-based; a redelivery after a crash repeats the number. */
  attempt: number;
  maxAttempts: number;
  isLastAttempt: boolean;
  traceId: string;
  /** How long the broker will wait before the next attempt when the receiver asked for `requestedMs`. */
  nextRetryDelayMs(requestedMs?: number): number;
}

export interface DeliverWebhookDeps extends SendAttemptDeps {
  repo: WebhookRepository;
  health: Pick<EndpointHealthRepository, 'countFailure'>;
  publishEvent(event: DelivererEvent): Promise<void>;
  /** Failed attempts in a row that switch an endpoint off (PINGBACK_ENDPOINT_DISABLE_AFTER_FAILURES). */
  disableAfterFailures: number;
  clock(): Date;
  metrics: DelivererMetrics;
  logger: Logger;
}

/** Longer than one attempt can take beyond its request timeout (recording it), so a live claim never lapses. */
export const CLAIM_MARGIN_MS = 5_000;

/**
 * Another copy of the same command is sending this webhook right now (or just settled it). Not a failure of the
 * message: the broker tries again later, when the other copy has recorded its outcome.
 */
export class ConcurrentDeliveryError extends Error {
  constructor(webhookId: string) {
    super(`webhook ${webhookId} is being sent by another copy of its command`);
    this.name = 'ConcurrentDeliveryError';
  }
}

export type DeliveryOutcome =
  | { kind: 'settled'; webhook: WebhookRecord }
  /** Try again after the broker's next delay, or later when the receiver asked for `retryAfterMs`. */
  | { kind: 'retry'; retryAfterMs?: number };

/**
 * One attempt at one outgoing POST (CONTRACT §2, §6). The webhook row is recorded once per webhook-id; a
 * settled one is never sent again, its event is published again instead (the run that settled it may have died
 * before publishing). A POST to a disabled endpoint is not sent: it fails for good with `endpoint_disabled`, and
 * `endpoint.disabled` is published again (the run that disabled it may have died before publishing). Otherwise:
 * sign, POST, count the outcome toward the endpoint's health, record, and publish what it came to.
 */
export async function deliverWebhook(
  deps: DeliverWebhookDeps,
  command: WebhookDeliver['payload'],
  context: AttemptContext,
): Promise<DeliveryOutcome> {
  const startedAt = deps.clock();
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const { webhook, attemptId, endpointHealth } = await deps.repo.recordAndClaim(
    {
      id: command.webhookId,
      purpose: command.purpose,
      url: command.url,
      body: JSON.stringify(command.body),
      subject: command.subject,
      signer: command.signer,
      endpoint: command.endpoint,
    },
    { attempt: context.attempt, startedAt, signedAt: new Date(timestamp * 1000) },
    deps.timeoutMs + CLAIM_MARGIN_MS,
  );
  const disabled = isDisabled(endpointHealth) ? endpointHealth : null;
  if (webhook.status !== 'pending') {
    await deps.publishEvent(settledEvent(webhook, context.traceId));
    if (disabled) await deps.publishEvent(endpointDisabledEvent(disabled, context.traceId));
    return { kind: 'settled', webhook };
  }
  if (!attemptId) throw new ConcurrentDeliveryError(webhook.id);
  if (disabled) return refuseForDisabledEndpoint(deps, webhook, attemptId, disabled, context);

  let sent: Awaited<ReturnType<typeof sendAttempt>>;
  try {
    sent = await sendAttempt(deps, { ...webhook, purpose: command.purpose, signer: command.signer }, timestamp);
  } catch (error) {
    // The owner of the secrets did not answer: no POST went out, so this attempt never happened.
    await deps.repo.abandonAttempt(webhook.id, attemptId);
    throw error;
  }
  const { result, latencyMs } = sent;
  const finishedAt = deps.clock();
  const finished = {
    finishedAt,
    latencyMs,
    outcome: result.outcome,
    responseStatus: result.responseStatus,
    responseExcerpt: result.responseExcerpt,
    ...(result.outcome === 'failed' ? { error: result.error } : {}),
  };
  const log = deps.logger.child({
    webhookId: webhook.id,
    purpose: webhook.purpose,
    url: redactTargetUrl(webhook.url),
    attempt: context.attempt,
    maxAttempts: context.maxAttempts,
    traceId: context.traceId,
  });
  deps.metrics.attemptDuration.observe({ purpose: webhook.purpose }, latencyMs / 1000);
  const endpoint = endpointOf(webhook);
  const health = endpoint && countsAgainstEndpoint(result) ? await countFailure(deps, endpoint, webhook, result, finishedAt) : null;

  // A POST whose endpoint is now off is not retried: its retry could only meet the switched-off endpoint.
  if (result.outcome === 'succeeded' || !result.retryable || context.isLastAttempt || health?.endpointOff) {
    const status = result.outcome === 'succeeded' ? 'succeeded' : 'failed';
    const settled = await deps.repo.settle(webhook.id, attemptId, { ...finished, status, attempts: context.attempt }, endpoint);
    deps.metrics.attempts.inc({ purpose: webhook.purpose, outcome: status });
    log.info({ status: result.responseStatus, latencyMs, error: finished.error }, `webhook ${status}`);
    // `settled` may say otherwise when another copy of the command settled it first: publish what the record says.
    await deps.publishEvent(settledEvent(settled, context.traceId));
    if (health?.disabledNow) await announceDisabled(deps, health.disabledNow, context.traceId, log);
    return { kind: 'settled', webhook: settled };
  }

  const nextAttemptAt = new Date(finishedAt.getTime() + context.nextRetryDelayMs(result.retryAfterMs));
  await deps.repo.recordRetry(webhook.id, attemptId, finished, nextAttemptAt);
  deps.metrics.attempts.inc({ purpose: webhook.purpose, outcome: 'retrying' });
  log.info({ status: result.responseStatus, latencyMs, error: result.error, nextAttemptAt }, 'webhook attempt failed, will retry');
  await deps.publishEvent(
    attemptedEvent(
      webhook,
      { attempt: context.attempt, maxAttempts: context.maxAttempts, error: result.error, nextRetryAt: nextAttemptAt, at: finishedAt },
      context.traceId,
    ),
  );
  return { kind: 'retry', ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }) };
}

/**
 * Counts a failed attempt against the webhook's endpoint. `disabledNow` when this failure switched it off (exactly
 * one failure per switch-off gets it); `endpointOff` when it is off, by this failure or an earlier one.
 */
async function countFailure(
  deps: DeliverWebhookDeps,
  endpoint: EndpointRef,
  webhook: WebhookRecord,
  result: Extract<AttemptResult, { outcome: 'failed' }>,
  at: Date,
): Promise<{ endpointOff: boolean; disabledNow: DisabledEndpoint | null }> {
  const counted = await deps.health.countFailure(endpoint, {
    accountId: webhook.accountId,
    url: webhook.url,
    gone: result.responseStatus === 410,
    disableAfter: deps.disableAfterFailures,
    at,
  });
  const disabledNow = counted.disabledNow && isDisabled(counted.health) ? counted.health : null;
  return { endpointOff: counted.health === null || disabledNow !== null, disabledNow };
}

/** Nothing is sent to a switched-off endpoint: the claimed attempt is recorded as refused and the POST fails for good. */
async function refuseForDisabledEndpoint(
  deps: DeliverWebhookDeps,
  webhook: WebhookRecord,
  attemptId: string,
  disabled: DisabledEndpoint,
  context: AttemptContext,
): Promise<DeliveryOutcome> {
  const error = disabledEndpointError(disabled);
  const finished = { finishedAt: deps.clock(), latencyMs: 0, outcome: 'failed' as const, error };
  const settled = await deps.repo.settle(webhook.id, attemptId, { ...finished, status: 'failed', attempts: context.attempt }, null);
  deps.metrics.attempts.inc({ purpose: webhook.purpose, outcome: 'failed' });
  deps.logger.info({ webhookId: webhook.id, purpose: webhook.purpose, endpoint: endpointOf(webhook), traceId: context.traceId }, 'webhook not sent: its endpoint is disabled');
  await deps.publishEvent(settledEvent(settled, context.traceId));
  await deps.publishEvent(endpointDisabledEvent(disabled, context.traceId));
  return { kind: 'settled', webhook: settled };
}

async function announceDisabled(deps: DeliverWebhookDeps, disabled: DisabledEndpoint, traceId: string, log: Logger): Promise<void> {
  deps.metrics.endpointsDisabled.inc({ reason: disabled.disabledReason });
  log.warn({ endpoint: { kind: disabled.kind, id: disabled.id }, reason: disabled.disabledReason, consecutiveFailures: disabled.consecutiveFailures }, 'endpoint disabled');
  await deps.publishEvent(endpointDisabledEvent(disabled, traceId));
}
