import { performance } from 'node:perf_hooks';
import { webhookPurposes, type WebhookDeliver, type WebhookSigner } from '@pingback/contracts';
import type { Logger } from '@pingback/observability';
import { redactUrl, type SafeResponse } from '@pingback/security';
import type { WebhookRecord } from './webhook-record';
import type { WebhookRepository } from '../data/webhook.repository';
import { resultOfRequestError, resultOfResponse, type AttemptResult } from './attempt-result';
import type { DelivererMetrics } from '../metrics';
import { webhookRequestHeaders } from './request-headers';
import { attemptedEvent, settledEvent, type WebhookOutcomeEvent } from './webhook-events';

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

export interface OutgoingPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface DeliverWebhookDeps {
  repo: WebhookRepository;
  publishEvent(event: WebhookOutcomeEvent): Promise<void>;
  /**
   * The signer's current secrets in plain text, current first: asked of their owner, or cached until the owner
   * says they rotated. Throws UnknownSignerError when no lookup serves the signer's kind, the owner does not know
   * the signer, or a secret cannot be decrypted; any other error (the owner unreachable) is worth a retry.
   */
  signingSecrets(signer: WebhookSigner): Promise<string[]>;
  /** safePost with the target policy applied: never follows redirects, checks every resolved address. */
  post(request: OutgoingPost): Promise<SafeResponse>;
  timeoutMs: number;
  clock(): Date;
  metrics: DelivererMetrics;
  logger: Logger;
}

/** No owner of the signer's kind, the owner does not know it, or its secrets do not decrypt under PINGBACK_SECRET_KEY. */
export class UnknownSignerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnknownSignerError';
  }
}

/** Longer than one attempt can take beyond its request timeout (recording it), so a live claim never lapses. */
const CLAIM_MARGIN_MS = 5_000;

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
 * before publishing). Otherwise: sign, POST, record, and publish what it came to.
 */
export async function deliverWebhook(
  deps: DeliverWebhookDeps,
  command: WebhookDeliver['payload'],
  context: AttemptContext,
): Promise<DeliveryOutcome> {
  const startedAt = deps.clock();
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const { webhook, attemptId } = await deps.repo.recordAndClaim(
    {
      id: command.webhookId,
      purpose: command.purpose,
      url: command.url,
      body: JSON.stringify(command.body),
      subject: command.subject,
      signer: command.signer,
    },
    { attempt: context.attempt, startedAt, signedAt: new Date(timestamp * 1000) },
    deps.timeoutMs + CLAIM_MARGIN_MS,
  );
  if (webhook.status !== 'pending') {
    await deps.publishEvent(settledEvent(webhook, context.traceId));
    return { kind: 'settled', webhook };
  }
  if (!attemptId) throw new ConcurrentDeliveryError(webhook.id);
  // Signed over the body as first recorded: a copy of the command may carry a later timestamp in its body.
  let signed: Awaited<ReturnType<typeof signedHeaders>>;
  try {
    signed = await signedHeaders(deps, command, webhook, timestamp);
  } catch (error) {
    // The owner of the secrets did not answer: no POST went out, so this attempt never happened.
    await deps.repo.abandonAttempt(webhook.id, attemptId);
    throw error;
  }

  const started = performance.now();
  let result: AttemptResult;
  if ('unsignable' in signed) {
    // Nothing is sent: no retry can sign it either, so it fails for good (and its callback state settles).
    result = { outcome: 'failed', retryable: false, error: { code: 'unsignable', message: signed.unsignable } };
  } else {
    try {
      const response = await deps.post({ url: webhook.url, body: webhook.body, headers: signed.headers, timeoutMs: deps.timeoutMs });
      result = resultOfResponse(response);
    } catch (err) {
      result = resultOfRequestError(err);
    }
  }
  const latencyMs = Math.round(performance.now() - started);
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
    url: redactUrl(webhook.url),
    attempt: context.attempt,
    maxAttempts: context.maxAttempts,
    traceId: context.traceId,
  });
  deps.metrics.attemptDuration.observe({ purpose: webhook.purpose }, latencyMs / 1000);

  if (result.outcome === 'succeeded' || !result.retryable || context.isLastAttempt) {
    const status = result.outcome === 'succeeded' ? 'succeeded' : 'failed';
    const settled = await deps.repo.settle(webhook.id, attemptId, { ...finished, status, attempts: context.attempt });
    deps.metrics.attempts.inc({ purpose: webhook.purpose, outcome: status });
    log.info({ status: result.responseStatus, latencyMs, error: finished.error }, `webhook ${status}`);
    // `settled` may say otherwise when another copy of the command settled it first: publish what the record says.
    await deps.publishEvent(settledEvent(settled, context.traceId));
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

async function signedHeaders(
  deps: DeliverWebhookDeps,
  command: WebhookDeliver['payload'],
  webhook: WebhookRecord,
  timestamp: number,
): Promise<{ headers: Record<string, string> } | { unsignable: string }> {
  let secrets: string[];
  try {
    secrets = await deps.signingSecrets(command.signer);
  } catch (err) {
    if (!(err instanceof UnknownSignerError)) throw err;
    return { unsignable: `webhook ${webhook.id} cannot be signed: ${err.message}` };
  }
  const { signature } = webhookPurposes[command.purpose];
  return { headers: webhookRequestHeaders({ id: webhook.id, timestamp, body: webhook.body, secrets, signature }) };
}
