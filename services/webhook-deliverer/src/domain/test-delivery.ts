import { DomainError, unavailableError, type TestDeliveryRequest, type TestDeliveryResult } from '@pingback/contracts';
import type { Logger } from '@pingback/observability';
import { redactTargetUrl } from '@pingback/security';
import type { WebhookRepository } from '../data/webhook.repository';
import type { DelivererMetrics } from '../metrics';
import { CLAIM_MARGIN_MS } from './deliver-webhook';
import { sendAttempt, type SendAttemptDeps } from './send-attempt';
import type { WebhookRecord } from './webhook-record';

export interface TestDeliveryDeps extends SendAttemptDeps {
  repo: Pick<WebhookRepository, 'recordAndClaim' | 'abandonAttempt' | 'discardUnsent' | 'settle'>;
  clock(): Date;
  metrics: DelivererMetrics;
  logger: Logger;
}

/** What a settled test POST came to, from its record (the same test asked for again). */
const resultOfRecord = (webhook: WebhookRecord): TestDeliveryResult => ({
  id: webhook.id,
  success: webhook.status === 'succeeded',
  status_code: webhook.responseStatus,
  latency_ms: webhook.latencyMs ?? 0,
  response_body: null,
  error: webhook.errorCode === null ? null : { code: webhook.errorCode, message: webhook.errorMessage ?? '' },
});

/**
 * A synchronous test POST (a room's outgoing webhook `test`): signed and sent once, now, with the same signing and
 * target policy as every POST, and recorded with its attempt so the delivery log shows it. It is never retried,
 * never counted toward its endpoint's health (an owner tests an endpoint to see whether it works again), and
 * announced to no one: the caller has the result.
 */
export async function sendTestDelivery(deps: TestDeliveryDeps, command: TestDeliveryRequest): Promise<TestDeliveryResult> {
  const startedAt = deps.clock();
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const { webhook, attemptId } = await deps.repo.recordAndClaim(
    { id: command.webhookId, purpose: command.purpose, url: command.url, body: JSON.stringify(command.body), subject: command.subject, signer: command.signer, endpoint: command.endpoint },
    { attempt: 1, startedAt, signedAt: new Date(timestamp * 1000) },
    deps.timeoutMs + CLAIM_MARGIN_MS,
  );
  if (webhook.status !== 'pending') return resultOfRecord(webhook);
  if (!attemptId) throw new DomainError('not_resendable', 'this test POST is being sent already', { status: 'pending' });

  let sent: Awaited<ReturnType<typeof sendAttempt>>;
  try {
    sent = await sendAttempt(deps, { ...webhook, purpose: command.purpose, signer: command.signer }, timestamp);
  } catch (error) {
    // No POST went out and nothing will retry it: no trace of it stays behind.
    await deps.repo.abandonAttempt(webhook.id, attemptId);
    await deps.repo.discardUnsent(webhook.id);
    deps.logger.warn({ err: error, webhookId: webhook.id }, 'test POST not sent: its signing secrets could not be looked up');
    throw unavailableError('the signing secrets could not be looked up; try again shortly');
  }
  const { result, latencyMs } = sent;
  const status = result.outcome === 'succeeded' ? 'succeeded' : 'failed';
  const finished = {
    finishedAt: deps.clock(),
    latencyMs,
    outcome: result.outcome,
    responseStatus: result.responseStatus,
    responseExcerpt: result.responseExcerpt,
    ...(result.outcome === 'failed' ? { error: result.error } : {}),
  };
  await deps.repo.settle(webhook.id, attemptId, { ...finished, status, attempts: 1 }, null);
  deps.metrics.attempts.inc({ purpose: webhook.purpose, outcome: status });
  deps.logger.info({ webhookId: webhook.id, purpose: webhook.purpose, url: redactTargetUrl(webhook.url), status: result.responseStatus, latencyMs }, `test webhook ${status}`);
  return {
    id: webhook.id,
    success: result.outcome === 'succeeded',
    status_code: result.responseStatus ?? null,
    latency_ms: latencyMs,
    response_body: result.responseExcerpt ?? null,
    error: result.outcome === 'failed' ? result.error : null,
  };
}
