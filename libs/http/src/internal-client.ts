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
  const timeoutMs = options.timeoutMs ?? 2000;
  return async function call<T>(method: 'GET' | 'POST', path: string, init: { body?: unknown; traceId?: string } = {}): Promise<InternalResponse<T>> {
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
    if (response.status >= 400 && typeof body.error === 'string') {
      const { error, message, ...details } = body;
      const appError = new AppError(error as never, message ?? error, details);
      const retryAfter = response.headers.get('retry-after');
      if (retryAfter) appError.headers['Retry-After'] = retryAfter;
      throw appError;
    }
    return { status: response.status, body };
  };
}

export type InternalClient = ReturnType<typeof createInternalClient>;
