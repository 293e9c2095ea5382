import { ConnectionError, RequestTimeoutError, UnsafeUrlError, type SafeResponse } from '@pingback/security';
import type { WebhookError } from '@pingback/contracts';

/** How much of a receiver's answer an attempt keeps, for people debugging their endpoint. */
export const RESPONSE_EXCERPT_CHARS = 1024;

/** What one POST came to, decided by CONTRACT §6: 2xx succeeds, 410 and unsafe targets fail for good, the rest retry. */
export type AttemptResult =
  | { outcome: 'succeeded'; responseStatus: number; responseExcerpt: string }
  | {
      outcome: 'failed';
      /** False when no retry can help: the endpoint is gone or the target is not allowed. */
      retryable: boolean;
      error: WebhookError;
      responseStatus?: number;
      responseExcerpt?: string;
      /** The receiver's Retry-After, already capped at one hour. */
      retryAfterMs?: number;
    };

export function resultOfResponse(response: SafeResponse): AttemptResult {
  const { status } = response;
  const responseExcerpt = response.body.slice(0, RESPONSE_EXCERPT_CHARS);
  if (status >= 200 && status < 300) return { outcome: 'succeeded', responseStatus: status, responseExcerpt };
  const failure = { outcome: 'failed' as const, responseStatus: status, responseExcerpt };
  if (status === 410) {
    return { ...failure, retryable: false, error: { code: 'endpoint_gone', message: 'the receiver answered 410 Gone' } };
  }
  if (status >= 300 && status < 400) {
    return {
      ...failure,
      retryable: true,
      error: { code: 'redirect_not_followed', message: `the receiver answered ${status}; redirects are not followed` },
    };
  }
  return {
    ...failure,
    retryable: true,
    error: { code: 'http_error', message: `the receiver answered ${status}` },
    ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }),
  };
}

/** The request errors safePost reports; anything else is not about the receiver and is rethrown. */
export function resultOfRequestError(err: unknown): AttemptResult {
  if (err instanceof UnsafeUrlError) {
    return { outcome: 'failed', retryable: false, error: { code: 'unsafe_url', message: err.message } };
  }
  if (err instanceof RequestTimeoutError || err instanceof ConnectionError) {
    return { outcome: 'failed', retryable: true, error: { code: err.code, message: err.message } };
  }
  throw err;
}
