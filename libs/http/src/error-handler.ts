import type { ErrorRequestHandler } from 'express';
import { DomainError } from '@pingback/contracts';
import { ZodError } from 'zod';
import { AppError, validationFailedFields, type FieldProblem } from './app-error';
import { fromBodyParser, fromUrlDecoding } from './request-read-errors';

/** An error from below (broker, Postgres, an owner service) that says "try again", not "you did wrong". */
export interface InfrastructureErrorTest {
  (err: unknown): boolean;
}

/** A field's place in the request as people write it: `actions.0.label`; the body itself is "". */
export const fieldPath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** The messages are the contracts' own (libs/contracts sets zod's wording for the process), never zod's. */
export function zodFields(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message }));
}

export function validationFailed(error: ZodError, status?: number): AppError {
  return validationFailedFields(zodFields(error), status);
}

/** Maps every error to `{ error, message, ...details }`; expected ones log at info, the rest at error. */
export function createErrorHandler(isInfrastructureError: InfrastructureErrorTest = () => false): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const log = req.log;
    let appError: AppError;
    if (err instanceof DomainError) appError = AppError.from(err);
    else if (err instanceof ZodError) appError = validationFailed(err);
    else if (fromBodyParser(err)) appError = fromBodyParser(err)!;
    else if (fromUrlDecoding(err)) appError = fromUrlDecoding(err)!;
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
