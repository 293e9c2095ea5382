import { ERROR_STATUS, TRACKER_ACCOUNT_HEADER, TRACKER_PREFIX, TRACKER_ROUTES, type TrackerRoute } from '@pingback/contracts';
import { AppError, INTERNAL_CALL_HEADER, serviceUnavailable, TRACE_HEADER } from '@pingback/http';
import type { Request, RequestHandler } from 'express';
import { seed002Query } from '../auth/seed-002-query';
import type { GatewayDeps } from '../gateway-deps';
import { seed002Router } from './families';
import type { RouteFamily } from './route-family';

/** CONTRACT §4: stage ping bodies up to 1 MiB. */
const STAGE_PING_BODY_BYTES = 1024 * 1024;
/** The rest of seed 002's routes manage objects, like every management route. */
const MANAGEMENT_BODY_BYTES = 64 * 1024;
/** Headers of the tracker's answer that reach the caller. */
const PASSED_HEADERS = ['retry-after', 'cache-control', 'location'];

/**
 * Seed 002's routes (workflows, process hooks, heartbeats and their management): the gateway authenticates the
 * API key, counts the account's rate limit, and forwards the request to workflow-tracker, which owns every
 * object here and answers with the seed's bodies. No tracker state lives in the gateway.
 */
export function trackerRoutes(deps: GatewayDeps): RouteFamily[] {
  const pings = seed002Router(deps, { bodyLimitBytes: STAGE_PING_BODY_BYTES, keepTextAs: 'text' });
  const management = seed002Router(deps, { bodyLimitBytes: MANAGEMENT_BODY_BYTES });
  const forward = forwardToTracker(deps);
  for (const route of Object.values(TRACKER_ROUTES) as TrackerRoute[]) {
    const family = route.ping ? pings : management;
    for (const method of route.methods) {
      // A ping's GET records something: HEAD (link checkers, mail scanners) gets 405 instead of running it.
      if (method === 'GET' && route.ping) family.getWithoutHead(route.path, forward);
      else family[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](route.path, forward);
    }
  }
  return [pings, management];
}

function forwardToTracker(deps: GatewayDeps): RequestHandler {
  return async (req, res) => {
    await deps.rateLimit('seed-002', req.accountId!, deps.config.seed002RatePerMinute);
    const { params } = seed002Query(req);
    const search = params.toString();
    const url = new URL(`${TRACKER_PREFIX}${req.path}${search ? `?${search}` : ''}`, deps.trackerUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: req.method,
        headers: {
          'content-type': 'application/json',
          [INTERNAL_CALL_HEADER]: deps.internalCallCredential,
          [TRACKER_ACCOUNT_HEADER]: req.accountId!,
          [TRACE_HEADER]: req.traceId,
        },
        body: hasBody(req) ? JSON.stringify(req.body ?? {}) : undefined,
        signal: AbortSignal.timeout(deps.trackerTimeoutMs),
      });
    } catch {
      throw serviceUnavailable();
    }
    const text = await response.text();
    if (response.status >= 500) throw serviceUnavailable();
    const body = parsed(text);
    if (!response.ok && !(typeof body?.error === 'string' && body.error in ERROR_STATUS)) {
      throw new AppError('internal', `unexpected ${response.status} from workflow-tracker`);
    }
    for (const name of PASSED_HEADERS) {
      const value = response.headers.get(name);
      if (value) res.set(name, value);
    }
    if (response.status === 204) return void res.status(204).end();
    res.status(response.status).type('application/json').send(text);
  };
}

const hasBody = (req: Request) => req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';

function parsed(text: string): { error?: unknown } | null {
  try {
    return JSON.parse(text) as { error?: unknown };
  } catch {
    return null;
  }
}
