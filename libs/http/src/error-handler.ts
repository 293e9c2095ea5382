import type { ErrorRequestHandler } from 'express';
import { DomainError } from '@pingback/contracts';
import { ZodError } from 'zod';
import { AppError } from './app-error';

/** An error from below (broker, Postgres, an owner service) that says "try again", not "you did wrong". */
export interface InfrastructureErrorTest {
  (err: unknown): boolean;
}

export function zodFields(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function validationFailed(error: ZodError, status?: number): AppError {
  const appError = new AppError('validation_failed', 'the request is not valid', { fields: zodFields(error) });
  return status ? Object.assign(appError, { status }) : appError;
}

function fromBodyParser(err: { type?: string; status?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'the body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported body encoding');
    default:
      return undefined;
  }
}

/** Maps every error to `{ error, message, ...details }`; expected ones log at info, the rest at error. */
export function createErrorHandler(isInfrastructureError: InfrastructureErrorTest = () => false): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const log = req.log;
    let appError: AppError;
    if (err instanceof DomainError) appError = AppError.from(err);
    else if (err instanceof ZodError) appError = validationFailed(err);
    else if (fromBodyParser(err)) appError = fromBodyParser(err)!;
    else if (isInfrastructureError(err) || err?.code === 'service_unavailable') {
      log?.warn({ err }, 'dependency unavailable');
      appError = new AppError('service_unavailable', 'a dependency is unavailable, try again shortly', {}, { 'Retry-After': '1' });
    } else {
      log?.error({ err }, 'unexpected error');
      appError = new AppError('internal', 'internal error');
    }
    if (appError.status < 500) log?.info({ code: appError.code }, appError.message);
    if (res.headersSent) return;
    res.set(appError.headers);
    res.status(appError.status).json({ error: appError.code, message: appError.message, ...appError.details });
  };
}
