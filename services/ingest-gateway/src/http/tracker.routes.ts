import { TRACKER_PREFIX, TRACKER_ROUTES, type ForwardedRoute } from '@pingback/contracts';
import type { GatewayDeps } from '../gateway-deps';
import { managementRouter, seed002Router } from './families';
import { forwardToOwner, registerForwarded } from './forward-to-owner';
import type { RouteFamily } from './route-family';

/** CONTRACT §4: stage ping bodies up to 1 MiB. */
const STAGE_PING_BODY_BYTES = 1024 * 1024;
/** The rest of seed 002's routes manage objects, like every management route. */
const MANAGEMENT_BODY_BYTES = 64 * 1024;

/**
 * Seed 002's routes (workflows, process hooks, heartbeats and their management): the gateway authenticates the
 * API key, counts the account's rate limit, and forwards the request to workflow-tracker, which owns every
 * object here and answers with the seed's bodies. No tracker state lives in the gateway.
 */
export function trackerRoutes(deps: GatewayDeps): RouteFamily[] {
  const pings = seed002Router(deps, { bodyLimitBytes: STAGE_PING_BODY_BYTES, keepTextAs: 'text' });
  const management = seed002Router(deps, { bodyLimitBytes: MANAGEMENT_BODY_BYTES });
  // Routes of this product's own (the model price table): the management API's credential, 404 for others'.
  const ours = managementRouter(deps);
  const forward = forwardToOwner(deps, { service: 'workflow-tracker', baseUrl: deps.trackerUrl, prefix: TRACKER_PREFIX, timeoutMs: deps.trackerTimeoutMs });
  registerForwarded(Object.values(TRACKER_ROUTES) as ForwardedRoute[], (route) => (route.ping ? pings : route.family === 'management' ? ours : management), forward);
  return [pings, management, ours];
}
