import { TRACKER_ROUTES } from '@pingback/contracts';
import { Router, type RequestHandler } from 'express';
import { recordPing } from '../domain/monitors/record-ping';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { pathId, pingRequest } from './monitor-requests';

/** `GET|POST /hbk/{id}` and its alias `/hhk/{id}` (the seed's cron recipe): a heartbeat ping. */
export function monitorPingRoutes(deps: TrackerDeps): Router {
  const router = Router();
  const ping: RequestHandler = async (req, res) => {
    const accountId = accountOf(req);
    const monitorId = pathId(req.params.monitorId, 'heartbeat');
    const { outcome, metadata } = pingRequest(req);
    const recorded = await recordPing(deps, { accountId, monitorId, outcome, metadata });
    res.json({
      status: 'success',
      target_id: recorded.monitorId,
      state: recorded.state,
      paused: recorded.paused,
      received_at: recorded.receivedAt.toISOString(),
    });
  };
  for (const route of [TRACKER_ROUTES.heartbeat, TRACKER_ROUTES.heartbeatAlias]) {
    router.get(route.path, ping);
    router.post(route.path, ping);
  }
  return router;
}
