import { CreateMonitorRequest, ListQuery, PatchMonitorRequest, ReplaceMonitorRequest, toPage, TRACKER_ROUTES } from '@pingback/contracts';
import { Router } from 'express';
import { createMonitor, deleteMonitor, pauseMonitor, resumeMonitor, updateMonitor } from '../domain/monitors/manage-monitors';
import type { TrackerDeps } from '../tracker-deps';
import { mustOwn } from '../domain/domain-errors';
import { accountOf } from './account';
import { monitorPingRoutes } from './monitor-ping.routes';
import { monitorChanges, monitorSettings, pathId, PublicIdListQuery } from './monitor-requests';
import { monitorView, pingView } from './monitor-view';

/** Heartbeat monitors: pings, pause and resume, the last pings, and their management. */
export function monitorRoutes(deps: TrackerDeps): Router {
  const router = Router();
  const view = (monitor: Parameters<typeof monitorView>[0]) => monitorView(monitor, deps.alerts.publicUrl);
  const idOf = (value: unknown) => pathId(value, 'heartbeat');
  router.use(monitorPingRoutes(deps));

  router.post(TRACKER_ROUTES.monitors.path, async (req, res) => {
    const accountId = accountOf(req);
    const body = CreateMonitorRequest.parse(req.body);
    const monitor = await createMonitor(deps, accountId, body.id, monitorSettings(body));
    res.status(201).json(view(monitor));
  });

  router.get(TRACKER_ROUTES.monitors.path, async (req, res) => {
    const accountId = accountOf(req);
    const { limit, cursor } = PublicIdListQuery.parse(req.query);
    const rows = await deps.db.monitor.findMany({ where: { accountId, ...(cursor ? { id: { gt: cursor } } : {}) }, orderBy: { id: 'asc' }, take: limit + 1 });
    res.json(toPage(rows, limit, view));
  });

  router.get(TRACKER_ROUTES.monitor.path, async (req, res) => {
    const monitor = await deps.db.monitor.findUnique({ where: { id: idOf(req.params.monitorId) } });
    res.json(view(mustOwn(monitor, accountOf(req), 'heartbeat')));
  });

  router.put(TRACKER_ROUTES.monitor.path, async (req, res) => {
    const accountId = accountOf(req);
    const monitorId = idOf(req.params.monitorId);
    const body = ReplaceMonitorRequest.parse(req.body);
    res.json(view(await updateMonitor(deps, accountId, monitorId, monitorSettings(body))));
  });

  router.patch(TRACKER_ROUTES.monitor.path, async (req, res) => {
    const accountId = accountOf(req);
    const monitorId = idOf(req.params.monitorId);
    const body = PatchMonitorRequest.parse(req.body);
    res.json(view(await updateMonitor(deps, accountId, monitorId, monitorChanges(body))));
  });

  router.delete(TRACKER_ROUTES.monitor.path, async (req, res) => {
    await deleteMonitor(deps, accountOf(req), idOf(req.params.monitorId));
    res.status(204).end();
  });

  router.post(TRACKER_ROUTES.monitorPause.path, async (req, res) => {
    res.json(view(await pauseMonitor(deps, accountOf(req), idOf(req.params.monitorId))));
  });

  router.post(TRACKER_ROUTES.monitorResume.path, async (req, res) => {
    res.json(view(await resumeMonitor(deps, accountOf(req), idOf(req.params.monitorId))));
  });

  router.get(TRACKER_ROUTES.monitorPings.path, async (req, res) => {
    const accountId = accountOf(req);
    const monitorId = idOf(req.params.monitorId);
    const { limit, cursor } = ListQuery.parse(req.query);
    mustOwn(await deps.db.monitor.findUnique({ where: { id: monitorId }, select: { accountId: true } }), accountId, 'heartbeat');
    const rows = await deps.db.monitorPing.findMany({ where: { monitorId, ...(cursor ? { id: { lt: cursor } } : {}) }, orderBy: { id: 'desc' }, take: limit + 1 });
    res.json(toPage(rows, limit, pingView));
  });

  return router;
}
