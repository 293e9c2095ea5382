import { Router } from 'express';
import type { TrackerDeps } from '../tracker-deps';
import { workflowManagementRoutes } from './workflow-management.routes';
import { workflowPingRoutes } from './workflow-ping.routes';
import { workflowStateRoutes } from './workflow-state.routes';

/** Static and dynamic workflows: stage pings, the tree, instances, failed pings and their management. */
export function workflowRoutes(deps: TrackerDeps): Router {
  const router = Router();
  router.use(workflowPingRoutes(deps));
  router.use(workflowStateRoutes(deps));
  router.use(workflowManagementRoutes(deps));
  return router;
}
