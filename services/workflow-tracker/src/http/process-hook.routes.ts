import { Router } from 'express';
import type { TrackerDeps } from '../tracker-deps';

/** Process hooks: start and finish pings, runs, and their management. */
export function processHookRoutes(_deps: TrackerDeps): Router {
  const router = Router();
  return router;
}
