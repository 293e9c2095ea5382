import { ERROR_STATUS, type ErrorCode } from '@pingback/contracts';

/** A failure the caller can act on: a stable code, a status, a message for people, optional details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = 'resource') => new AppError('not_found', `${what} not found`);
export const unauthorized = (message = 'missing or invalid credentials') =>
  new AppError('unauthorized', message, {}, { 'WWW-Authenticate': 'Bearer realm="pingback"' });
export const serviceUnavailable = (message = 'a dependency is unavailable, try again shortly', retryAfterSeconds = 1) =>
  new AppError('service_unavailable', message, {}, { 'Retry-After': String(retryAfterSeconds) });

export interface FieldProblem {
  path: string;
  message: string;
}

/** `validation_failed` with `fields: [{ path, message }]` (CONTRACT §4); seed 004's routes answer it as 422. */
export function validationFailedFields(fields: FieldProblem[], status?: number): AppError {
  const appError = new AppError('validation_failed', 'the request is not valid', { fields });
  return status ? Object.assign(appError, { status }) : appError;
}
