import { ERROR_STATUS, FORWARDED_ACCOUNT_HEADER, FORWARDED_KEY_NAME_HEADER, type ForwardedRoute } from '@pingback/contracts';
import { AppError, INTERNAL_CALL_HEADER, notFound, serviceUnavailable, TRACE_HEADER } from '@pingback/http';
import type { Request, RequestHandler } from 'express';
import { seed002Query } from '../auth/seed-002-query';
import type { GatewayDeps } from '../gateway-deps';
import type { RouteFamily } from './route-family';

/** Headers of the owner's answer that reach the caller. */
const PASSED_HEADERS = ['retry-after', 'cache-control', 'location', 'idempotent-replayed'];
/** Headers of the caller's request that reach the owner. */
const FORWARDED_REQUEST_HEADERS = ['idempotency-key'];

export interface Owner {
  /** For messages: `workflow-tracker`, `approval-service`. */
  service: string;
  baseUrl: string;
  /** Its internal path for a public path: `/internal/tracker` + the public path. */
  prefix: string;
  timeoutMs: number;
  /** Extra time the caller asked the owner to hold the request (a poll's `?wait=`), in ms. */
  holdMs?: (req: Request) => number;
}

/** Registers each method of each route on its family: HEAD on a ping's GET answers 405 instead of running it. */
export function registerForwarded(routes: readonly ForwardedRoute[], familyOf: (route: ForwardedRoute) => RouteFamily, forward: RequestHandler): void {
  for (const route of routes) {
    const family = familyOf(route);
    for (const method of route.methods) {
      if (method === 'GET' && route.ping) family.getWithoutHead(route.path, forward);
      else family[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](route.path, forward);
    }
  }
}

/**
 * Forwards an authenticated request to the service that owns its objects, after counting the account's seed 002
 * rate limit; the owner's status and body go back as they are. An owner that is down, slow or answers 5xx is
 * `503 service_unavailable` (nothing was recorded: the owner rolls back a request whose caller went away).
 */
export function forwardToOwner(deps: GatewayDeps, owner: Owner): RequestHandler {
  return async (req, res) => {
    // A segment that is `.` or `..` once decoded would move the forwarded URL up the owner's internal paths.
    if (req.path.split('/').some(isDotSegment)) throw notFound('path');
    await deps.rateLimit('seed-002', req.accountId!, deps.config.seed002RatePerMinute);
    const { params } = seed002Query(req);
    const search = params.toString();
    const url = new URL(`${owner.prefix}${req.path}${search ? `?${search}` : ''}`, owner.baseUrl);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [INTERNAL_CALL_HEADER]: deps.internalCallCredential,
      [FORWARDED_ACCOUNT_HEADER]: req.accountId!,
      [TRACE_HEADER]: req.traceId,
    };
    if (req.apiKeyName) headers[FORWARDED_KEY_NAME_HEADER] = encodeURIComponent(req.apiKeyName);
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.get(name);
      if (value !== undefined) headers[name] = value;
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        // HEAD is a GET whose body the caller does not want: the owner answers it as a GET (express drops the body).
        method: req.method === 'HEAD' ? 'GET' : req.method,
        headers,
        body: hasBody(req) ? JSON.stringify(req.body ?? {}) : undefined,
        signal: AbortSignal.timeout(owner.timeoutMs + (owner.holdMs?.(req) ?? 0)),
      });
      // Inside the time-out too: a large answer may still be arriving when it runs out.
      text = await response.text();
    } catch {
      throw serviceUnavailable();
    }
    if (response.status >= 500) throw serviceUnavailable();
    const body = parsed(text);
    if (!response.ok && !(typeof body?.error === 'string' && body.error in ERROR_STATUS)) {
      throw new AppError('internal', `unexpected ${response.status} from ${owner.service}`);
    }
    for (const name of PASSED_HEADERS) {
      const value = response.headers.get(name);
      if (value) res.set(name, value);
    }
    if (response.status === 204) return void res.status(204).end();
    res.status(response.status).type('application/json').send(text);
  };
}

function isDotSegment(segment: string): boolean {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '.' || decoded === '..';
  } catch {
    return false;
  }
}

const hasBody = (req: Request) => req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';

function parsed(text: string): { error?: unknown } | null {
  try {
    return JSON.parse(text) as { error?: unknown };
  } catch {
    return null;
  }
}
