/**
 * Infrastructure errors carry the stable code the edge answers with (CONTRACT §4): the broker being down or
 * slow is `service_unavailable` (503 with Retry-After), never a hang.
 */
export class BrokerUnavailableError extends Error {
  readonly code = 'service_unavailable' as const;
  override readonly name: string = 'BrokerUnavailableError';
}

/** No publisher confirm came within `confirmTimeoutMs`. The message may still arrive: at least once. */
export class PublishTimeoutError extends BrokerUnavailableError {
  override readonly name: string = 'PublishTimeoutError';
}

/** RabbitMQ returned a mandatory message: no queue is bound for it, so it was not stored anywhere. */
export class UnroutableError extends Error {
  readonly code = 'internal' as const;
  override readonly name: string = 'UnroutableError';

  constructor(
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    super(`no queue is bound to exchange "${exchange}" for routing key "${routingKey}"`);
  }
}

/** Thrown by a handler: try again later, after at least `retryAfterMs` when given. */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Thrown by a handler: retrying cannot help, park the message at once. */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
}

/**
 * A message that does not match its publication's schema, refused before it is published: a bug in the
 * publisher, which fails there, loudly, instead of parking downstream. Retrying cannot fix it.
 */
export class InvalidMessageError extends NonRetryableError {
  readonly code = 'internal' as const;
  override readonly name: string = 'InvalidMessageError';
}
