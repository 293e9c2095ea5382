import { ERROR_STATUS, pathOf, type ErrorCode, type InternalRoute } from '@pingback/contracts';
import { Counter, type Registry } from 'prom-client';
import { AppError, serviceUnavailable } from './app-error';
import { TRACE_HEADER } from './trace';

/** The header that carries the internal-call credential (libs/security internalCallCredential). Never logged. */
export const INTERNAL_CALL_HEADER = 'x-pingback-internal';

export interface InternalClientOptions {
  /** Sent on every call: internal routes refuse a request without it. */
  credential: string;
  timeoutMs?: number;
  /** Counts each call on `pingback_internal_calls_total{target}` (the work budget). */
  metrics?: { registry: Registry; target: string };
}

export interface InternalCall<TRequest> {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: TRequest;
  traceId?: string;
  timeoutMs?: number;
}

/**
 * Asks an owner service a synchronous question over its internal port and parses the reply with the route's
 * schema. An owner's error body is passed through as an AppError; an owner that cannot be reached or fails
 * becomes 503; a reply that does not match the route's schema is our bug, never passed on as a success.
 */
export function createInternalClient(baseUrl: string, options: InternalClientOptions) {
  const defaultTimeoutMs = options.timeoutMs ?? 1500;
  const counted = options.metrics ? callCounter(options.metrics.registry) : undefined;
  const target = options.metrics?.target ?? '';
  return async function call<TResponse, TRequest = never>(route: InternalRoute<TResponse, TRequest>, init: InternalCall<TRequest> = {}): Promise<TResponse> {
    const path = pathOf(route, init.params, init.query);
    counted?.inc({ target });
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method: route.method,
        headers: {
          'content-type': 'application/json',
          [INTERNAL_CALL_HEADER]: options.credential,
          ...(init.traceId ? { [TRACE_HEADER]: init.traceId } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(init.timeoutMs ?? defaultTimeoutMs),
      });
    } catch {
      throw serviceUnavailable();
    }
    const body = (await response.json().catch(() => ({}))) as { error?: unknown; message?: unknown };
    if (response.ok) {
      const parsed = route.response.safeParse(body);
      if (parsed.success) return parsed.data;
      throw new AppError('internal', `the reply of ${route.pattern} does not match its contract: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    if (typeof body.error === 'string' && body.error in ERROR_STATUS && response.status < 500) {
      const { error, message, ...details } = body;
      throw new AppError(error as ErrorCode, typeof message === 'string' ? message : error, details);
    }
    // An owner that failed, or answered something that is not ours to pass on: never a success to the caller.
    if (response.status >= 500) throw serviceUnavailable();
    throw new AppError('internal', `unexpected ${response.status} from ${route.pattern}`);
  };
}

export type InternalClient = ReturnType<typeof createInternalClient>;

const CALLS = 'pingback_internal_calls_total';

function callCounter(registry: Registry): Counter<'target'> {
  return (
    (registry.getSingleMetric(CALLS) as Counter<'target'> | undefined) ??
    new Counter({ name: CALLS, help: 'Calls made to other services over their internal port', labelNames: ['target'] as const, registers: [registry] })
  );
}
