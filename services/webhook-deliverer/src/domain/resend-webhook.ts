import { DomainError, notFoundError, WebhookPurpose, type WebhookDeliver } from '@pingback/contracts';
import type { EndpointHealthRepository } from '../data/endpoint-health.repository';
import type { WebhookRepository } from '../data/webhook.repository';
import { endpointOf, isDisabled } from './endpoint-health';
import { subjectOf } from './webhook-events';

export interface ResendWebhookDeps {
  repo: Pick<WebhookRepository, 'findById' | 'reopenFailed' | 'restoreFailed'>;
  health: Pick<EndpointHealthRepository, 'find'>;
  /** Publishes the command on its purpose's queue and waits for the broker's confirm. */
  publishDeliver(command: WebhookDeliver['payload'], traceId: string): Promise<void>;
}

export interface ResendRequest {
  accountId: string;
  webhookId: string;
  traceId: string;
}

/**
 * Sends a POST that failed for good again (CONTRACT §6: "any failed delivery can be re-sent by API"): the same
 * webhook-id, URL, body bytes and signer, on its purpose's schedule from attempt 1. The row goes back to pending
 * before the command is published, so the command finds it sendable; a second resend meanwhile is refused. A POST
 * to a switched-off endpoint is refused until its owner enables the endpoint again (it would not be sent).
 */
export async function resendWebhook(deps: ResendWebhookDeps, request: ResendRequest): Promise<{ id: string; status: 'pending' }> {
  const webhook = await deps.repo.findById(request.webhookId);
  // Someone else's POST is not found, as for any owned object ('' is the account of rows older than accounts).
  if (!webhook || !request.accountId || webhook.accountId !== request.accountId) throw notFoundError('webhook');
  if (webhook.status !== 'failed') {
    throw new DomainError('not_resendable', `this webhook is ${webhook.status}: only a failed one can be re-sent`, { status: webhook.status });
  }
  if (!webhook.signerKind || !webhook.signerId) {
    throw new DomainError('not_resendable', 'this webhook was recorded before its signer was kept, so it cannot be signed again', {
      status: webhook.status,
    });
  }
  const endpoint = endpointOf(webhook);
  const health = endpoint ? await deps.health.find(endpoint) : null;
  if (isDisabled(health)) {
    throw new DomainError('endpoint_disabled', 'the endpoint this POST goes to is switched off: enable it first, then re-send', {
      endpoint,
      disabled_at: health.disabledAt.toISOString(),
      reason: health.disabledReason,
    });
  }
  if (!(await deps.repo.reopenFailed(webhook.id))) {
    throw new DomainError('not_resendable', 'this webhook is being re-sent already', { status: 'pending' });
  }
  const command: WebhookDeliver['payload'] = {
    webhookId: webhook.id,
    purpose: WebhookPurpose.parse(webhook.purpose),
    url: webhook.url,
    // The exact bytes first sent: every attempt signs and sends the stored body, so this parse is only the carrier.
    body: JSON.parse(webhook.body) as Record<string, unknown>,
    signer: { kind: webhook.signerKind, id: webhook.signerId },
    subject: subjectOf(webhook),
    endpoint,
  };
  try {
    await deps.publishDeliver(command, request.traceId);
  } catch (error) {
    // Left pending, nothing would ever send it and no resend could: failed again, the caller may try later.
    await deps.repo.restoreFailed(webhook);
    throw error;
  }
  return { id: webhook.id, status: 'pending' };
}
