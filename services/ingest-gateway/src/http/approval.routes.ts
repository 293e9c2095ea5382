import { APPROVAL_ROUTES, APPROVALS_PREFIX, FORWARDED_WAIT_QUERY, MAX_APPROVAL_WAIT_SECONDS, type ForwardedRoute } from '@pingback/contracts';
import type { Request } from 'express';
import type { GatewayDeps } from '../gateway-deps';
import { managementRouter, seed002Router } from './families';
import { forwardToOwner, registerForwarded } from './forward-to-owner';
import type { RouteFamily } from './route-family';

const APPROVAL_BODY_BYTES = 64 * 1024;

/** A poll's `?wait=N` holds the request at approval-service for up to N seconds; the gateway waits that much longer. */
function heldMs(req: Request): number {
  const wait = Number(req.query[FORWARDED_WAIT_QUERY]);
  return Number.isFinite(wait) && wait > 0 ? Math.min(wait, MAX_APPROVAL_WAIT_SECONDS) * 1000 : 0;
}

/**
 * Seed 002's approvals (the API key in any of the seed's four places, 403 for another account's) and the account's
 * reviewers (a management route: Bearer, 404), forwarded to approval-service, which owns both.
 */
export function approvalRoutes(deps: GatewayDeps): RouteFamily[] {
  const approvals = seed002Router(deps, { bodyLimitBytes: APPROVAL_BODY_BYTES });
  const reviewers = managementRouter(deps);
  const forward = forwardToOwner(deps, {
    service: 'approval-service',
    baseUrl: deps.approvalsUrl,
    prefix: APPROVALS_PREFIX,
    timeoutMs: deps.approvalsTimeoutMs,
    holdMs: heldMs,
  });
  registerForwarded(Object.values(APPROVAL_ROUTES) as ForwardedRoute[], (route) => (route.family === 'management' ? reviewers : approvals), forward);
  return [approvals, reviewers];
}
