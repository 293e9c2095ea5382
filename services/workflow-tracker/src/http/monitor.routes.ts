import { Router } from 'express';
import type { TrackerDeps } from '../tracker-deps';

/** Heartbeat monitors: pings, pause and resume, the last pings, and their management. */
export function monitorRoutes(_deps: TrackerDeps): Router {
  const router = Router();
  return router;
}
