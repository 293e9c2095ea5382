import { jsonBody } from '@pingback/http';
import { Router } from 'express';
import type { DestinationRepository } from '../data/destination.repository';
import type { DispatchDeps } from '../dispatch-deps';
import type { EventEndpoints } from '../domain/event-endpoints';
import { destinationRoutes } from './destination.routes';
import { endpointRoutes } from './endpoint.routes';
import { messageRoutes } from './message.routes';

/** The gateway's questions about what the dispatcher owns, and webhook-deliverer's about endpoint secrets. Internal port only. */
export function internalRoutes(deps: DispatchDeps, owned: { destinations: DestinationRepository; endpoints: EventEndpoints; viewDeliveries: number }): Router {
  const router = Router();
  // A channel's destinations may be added a thousand at a time.
  router.use(jsonBody(4 * 1024 * 1024));
  router.use(destinationRoutes(deps, owned.destinations));
  router.use(endpointRoutes(owned.endpoints, deps.broker));
  router.use(messageRoutes(deps, { viewDeliveries: owned.viewDeliveries }));
  return router;
}
