import { Router } from 'express';
import type { TrackerDeps } from '../tracker-deps';

/** Static and dynamic workflows: stage pings, the tree, instances, failed pings and their management. */
export function workflowRoutes(_deps: TrackerDeps): Router {
  const router = Router();
  return router;
}
