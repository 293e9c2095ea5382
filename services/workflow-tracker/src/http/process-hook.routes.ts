import { CreateHookRequest, ListQuery, PatchHookRequest, ReplaceHookRequest, toPage, TRACKER_ROUTES } from '@pingback/contracts';
import { Router, type RequestHandler } from 'express';
import { finishRun } from '../domain/process-hooks/finish-run';
import { createHook, deleteHook, updateHook } from '../domain/process-hooks/manage-hooks';
import { startRun } from '../domain/process-hooks/start-run';
import type { TrackerDeps } from '../tracker-deps';
import { mustOwn } from '../domain/domain-errors';
import { accountOf } from './account';
import { pathId, PublicIdListQuery } from './monitor-requests';
import { finishRequest, hookChanges, hookSettings, startRequest } from './process-requests';
import { hookView, runView } from './process-view';

/** Process hooks: start and finish pings, runs, and their management. */
export function processHookRoutes(deps: TrackerDeps): Router {
  const router = Router();
  const view = (hook: Parameters<typeof hookView>[0]) => hookView(hook, deps.alerts.publicUrl);
  const idOf = (value: unknown) => pathId(value, 'process hook');

  const start: RequestHandler = async (req, res) => {
    const accountId = accountOf(req);
    const hookId = idOf(req.params.hookId);
    const { agent, metadata } = startRequest(req);
    const run = await startRun(deps, { accountId, hookId, agent, metadata });
    res.json({ status: 'success', process_hook_id: hookId, run_id: run.runId, started_at: run.startedAt.toISOString() });
  };
  const finish: RequestHandler = async (req, res) => {
    const accountId = accountOf(req);
    const hookId = idOf(req.params.hookId);
    const request = finishRequest(req);
    const run = await finishRun(deps, { accountId, hookId, ...request });
    res.json({ status: 'success', process_hook_id: hookId, run_id: run.runId, duration_ms: run.durationMs, result: run.result.result });
  };
  router.get(TRACKER_ROUTES.processStart.path, start);
  router.post(TRACKER_ROUTES.processStart.path, start);
  router.get(TRACKER_ROUTES.processFinish.path, finish);
  router.post(TRACKER_ROUTES.processFinish.path, finish);

  router.post(TRACKER_ROUTES.processHooks.path, async (req, res) => {
    const accountId = accountOf(req);
    const body = CreateHookRequest.parse(req.body);
    res.status(201).json(view(await createHook(deps, accountId, body.id, hookSettings(body))));
  });

  router.get(TRACKER_ROUTES.processHooks.path, async (req, res) => {
    const accountId = accountOf(req);
    const { limit, cursor } = PublicIdListQuery.parse(req.query);
    const rows = await deps.db.processHook.findMany({ where: { accountId, ...(cursor ? { id: { gt: cursor } } : {}) }, orderBy: { id: 'asc' }, take: limit + 1 });
    res.json(toPage(rows, limit, view));
  });

  router.get(TRACKER_ROUTES.processHook.path, async (req, res) => {
    const hook = await deps.db.processHook.findUnique({ where: { id: idOf(req.params.hookId) } });
    res.json(view(mustOwn(hook, accountOf(req), 'process hook')));
  });

  router.put(TRACKER_ROUTES.processHook.path, async (req, res) => {
    const accountId = accountOf(req);
    const hookId = idOf(req.params.hookId);
    const body = ReplaceHookRequest.parse(req.body);
    res.json(view(await updateHook(deps, accountId, hookId, hookSettings(body))));
  });

  router.patch(TRACKER_ROUTES.processHook.path, async (req, res) => {
    const accountId = accountOf(req);
    const hookId = idOf(req.params.hookId);
    const body = PatchHookRequest.parse(req.body);
    res.json(view(await updateHook(deps, accountId, hookId, hookChanges(body))));
  });

  router.delete(TRACKER_ROUTES.processHook.path, async (req, res) => {
    await deleteHook(deps, accountOf(req), idOf(req.params.hookId));
    res.status(204).end();
  });

  router.get(TRACKER_ROUTES.processRuns.path, async (req, res) => {
    const accountId = accountOf(req);
    const hookId = idOf(req.params.hookId);
    const { limit, cursor } = ListQuery.parse(req.query);
    mustOwn(await deps.db.processHook.findUnique({ where: { id: hookId }, select: { accountId: true } }), accountId, 'process hook');
    const rows = await deps.db.processRun.findMany({ where: { hookId, ...(cursor ? { id: { lt: cursor } } : {}) }, orderBy: { id: 'desc' }, take: limit + 1 });
    res.json(toPage(rows, limit, runView));
  });

  return router;
}
