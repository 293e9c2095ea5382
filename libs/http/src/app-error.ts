import { DomainError, ERROR_STATUS, type ErrorCode } from '@pingback/contracts';

/** Headers that go with a code wherever it is raised, so domain code never has to know them. */
function defaultHeaders(code: ErrorCode, details: Record<string, unknown>): Record<string, string> {
  switch (code) {
    case 'unauthorized':
      return { 'WWW-Authenticate': 'Bearer realm="pingback"' };
    case 'service_unavailable':
      return { 'Retry-After': '1' };
    case 'rate_limited':
    case 'cooldown_active':
      return typeof details.retry_after === 'number' ? { 'Retry-After': String(details.retry_after) } : {};
    default:
      return {};
  }
}

/** A DomainError as HTTP sees it: the code's status, its default headers and any the route adds. */
export class AppError extends DomainError {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(code, message, details);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.headers = { ...defaultHeaders(code, details), ...headers };
  }

  static from(error: DomainError): AppError {
    return error instanceof AppError ? error : new AppError(error.code, error.message, error.details);
  }
}

export const notFound = (what = 'resource') => new AppError('not_found', `${what} not found`);
export const unauthorized = (message = 'missing or invalid credentials') => new AppError('unauthorized', message);
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
