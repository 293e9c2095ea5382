import { Router } from 'express';
import type { TrackerDeps } from '../tracker-deps';
import { costRoutes } from './cost.routes';
import { replayRoutes } from './replay.routes';
import { workflowManagementRoutes } from './workflow-management.routes';
import { workflowPingRoutes } from './workflow-ping.routes';
import { workflowStateRoutes } from './workflow-state.routes';

/** Static and dynamic workflows: stage pings, the tree, instances, failed pings, replay, cost and budgets, and their management. */
export function workflowRoutes(deps: TrackerDeps): Router {
  const router = Router();
  router.use(workflowPingRoutes(deps));
  router.use(workflowStateRoutes(deps));
  router.use(workflowManagementRoutes(deps));
  router.use(replayRoutes(deps));
  router.use(costRoutes(deps));
  return router;
}
