import { ERROR_STATUS, type ErrorCode } from '@pingback/contracts';
import { AppError, serviceUnavailable } from './app-error';
import { TRACE_HEADER } from './trace';

export interface InternalResponse<T> {
  status: number;
  body: T;
}

/**
 * The gateway's way to ask an owner service a synchronous question over its internal port. An owner's
 * error body is passed through as an AppError; an owner that cannot be reached becomes 503.
 */
export function createInternalClient(baseUrl: string, options: { timeoutMs?: number } = {}) {
  const defaultTimeoutMs = options.timeoutMs ?? 1500;
  return async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; traceId?: string; timeoutMs?: number } = {},
  ): Promise<InternalResponse<T>> {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers: { 'content-type': 'application/json', ...(init.traceId ? { [TRACE_HEADER]: init.traceId } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw serviceUnavailable();
    }
    const body = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
    if (response.ok) return { status: response.status, body };
    if (typeof body.error === 'string' && body.error in ERROR_STATUS && response.status < 500) {
      const { error, message, ...details } = body;
      throw new AppError(error as ErrorCode, message ?? error, details);
    }
    // An owner that failed, or answered something that is not ours to pass on: never a success to the caller.
    if (response.status >= 500) throw serviceUnavailable();
    throw new AppError('internal', `unexpected ${response.status} from ${path}`);
  };
}

export type InternalClient = ReturnType<typeof createInternalClient>;
