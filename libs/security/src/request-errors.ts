/** The request did not finish (connect, headers and body) within its time limit. Retryable. */
export class RequestTimeoutError extends Error {
  readonly code = 'request_timeout' as const;
  constructor(readonly timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The connection could not be made or broke before the response was read (refused, reset, DNS, TLS). Retryable. */
export class ConnectionError extends Error {
  readonly code = 'connection_error' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}
