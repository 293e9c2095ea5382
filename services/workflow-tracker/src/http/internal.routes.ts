import { TRACKER_PREFIX } from '@pingback/contracts';
import { jsonBody, rollBackWhenCallerGone, watchCaller } from '@pingback/http';
import { Router } from 'express';
import type { AcknowledgedHook } from '../messaging/message-answered.consumer';
import type { TrackerDeps } from '../tracker-deps';
import { alertRoutes } from './alert.routes';
import { monitorRoutes } from './monitor.routes';
import { processHookRoutes } from './process-hook.routes';
import { workflowRoutes } from './workflow.routes';

/** A stage ping's body is up to 1 MiB at the gateway (CONTRACT §4); the forwarded JSON may be a little longer. */
const FORWARDED_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Seed 002's routes as the gateway forwards them (`/internal/tracker` + the public path, the account in a header),
 * answered with the seed's bodies. Their transactions roll back when the gateway stopped waiting. Internal port only.
 */
export function internalRoutes(trackerDeps: TrackerDeps, onAcknowledged: AcknowledgedHook): Router {
  const deps = { ...trackerDeps, db: rollBackWhenCallerGone(trackerDeps.db) };
  const routes = Router();
  routes.use(workflowRoutes(deps));
  routes.use(processHookRoutes(deps));
  routes.use(monitorRoutes(deps));
  routes.use(alertRoutes(deps, onAcknowledged));
  const router = Router();
  router.use(TRACKER_PREFIX, jsonBody(FORWARDED_BODY_BYTES), watchCaller, routes);
  return router;
}
