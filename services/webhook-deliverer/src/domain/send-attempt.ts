import { performance } from 'node:perf_hooks';
import { webhookPurposes, type WebhookPurpose, type WebhookSigner } from '@pingback/contracts';
import type { SafeResponse } from '@pingback/security';
import { resultOfRequestError, resultOfResponse, type AttemptResult } from './attempt-result';
import { webhookRequestHeaders } from './request-headers';
import type { WebhookRecord } from './webhook-record';

export interface OutgoingPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface SendAttemptDeps {
  /**
   * The signer's current secrets in plain text, current first: asked of their owner, or cached until the owner
   * says they rotated. Throws UnknownSignerError when no lookup serves the signer's kind, the owner does not know
   * the signer, or a secret cannot be decrypted; any other error (the owner unreachable) is worth a retry.
   */
  signingSecrets(signer: WebhookSigner): Promise<string[]>;
  /** safePost with the target policy applied: never follows redirects, checks every resolved address. */
  post(request: OutgoingPost): Promise<SafeResponse>;
  timeoutMs: number;
}

/** No owner of the signer's kind, the owner does not know it, or its secrets do not decrypt under PINGBACK_SECRET_KEY. */
export class UnknownSignerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnknownSignerError';
  }
}

/**
 * Signs the recorded body with a fresh timestamp and POSTs it once. A POST that cannot be signed is not sent: it
 * comes to `unsignable`, which no retry can change. Throws, with nothing sent, when the signer's owner could not
 * be asked (worth a retry later).
 */
export async function sendAttempt(
  deps: SendAttemptDeps,
  webhook: Pick<WebhookRecord, 'id' | 'url' | 'body'> & { purpose: WebhookPurpose; signer: WebhookSigner },
  timestamp: number,
): Promise<{ result: AttemptResult; latencyMs: number }> {
  let secrets: string[];
  try {
    secrets = await deps.signingSecrets(webhook.signer);
  } catch (err) {
    if (!(err instanceof UnknownSignerError)) throw err;
    const result: AttemptResult = { outcome: 'failed', retryable: false, error: { code: 'unsignable', message: `webhook ${webhook.id} cannot be signed: ${err.message}` } };
    return { result, latencyMs: 0 };
  }
  const { signature } = webhookPurposes[webhook.purpose];
  // Signed over the body as first recorded: a copy of the command may carry a later timestamp in its body.
  const headers = webhookRequestHeaders({ id: webhook.id, timestamp, body: webhook.body, secrets, signature });
  const started = performance.now();
  let result: AttemptResult;
  try {
    result = resultOfResponse(await deps.post({ url: webhook.url, body: webhook.body, headers, timeoutMs: deps.timeoutMs }));
  } catch (err) {
    result = resultOfRequestError(err);
  }
  return { result, latencyMs: Math.round(performance.now() - started) };
}
