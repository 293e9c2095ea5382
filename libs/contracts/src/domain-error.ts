import type { ErrorCode } from './errors';

/**
 * A failure the caller can act on, as domain code states it: a stable code from the catalogue, a message for
 * people and optional details. It knows nothing of HTTP: libs/http maps each code to a status and headers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFoundError = (what = 'resource') => new DomainError('not_found', `${what} not found`);

/** A dependency we own (broker, Postgres, an owner service) could not do its part; the caller may retry soon. */
export const unavailableError = (message = 'a dependency is unavailable, try again shortly') => new DomainError('service_unavailable', message);

/** Seed 002's rule (CONTRACT §3): an unknown id is 404, another account's object 403. */
export function mustOwn<T extends { accountId: string }>(row: T | null, accountId: string, what: string): T {
  if (!row) throw notFoundError(what);
  if (row.accountId !== accountId) throw new DomainError('forbidden', `access denied to this ${what}`);
  return row;
}
