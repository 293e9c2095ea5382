import { ListQuery, TRACKER_ROUTES, toPage } from '@pingback/contracts';
import { Router } from 'express';
import { failedPings, instanceById, workflowInstances, workflowTree } from '../domain/workflows/workflow-reads';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { sendOrderedJson } from './ordered-json';
import { failedPingView, instanceView, singleInstanceView, treeView } from './workflow-views';

/** What a workflow's runs look like: the tree, the instance history, one instance, the refused pings. */
export function workflowStateRoutes(deps: TrackerDeps): Router {
  const router = Router();

  router.get(TRACKER_ROUTES.dynamicTree.path, async (req, res) => {
    sendOrderedJson(res, treeView(await workflowTree(deps, accountOf(req), req.params.workflowId!)));
  });

  router.get(TRACKER_ROUTES.workflowInstances.path, async (req, res) => {
    const { running, recent } = await workflowInstances(deps, accountOf(req), req.params.workflowId!);
    sendOrderedJson(res, { running_instance: running ? instanceView(running) : null, recent_instances: recent.map((instance) => instanceView(instance)) });
  });

  router.get(TRACKER_ROUTES.instance.path, async (req, res) => {
    sendOrderedJson(res, singleInstanceView(await instanceById(deps, accountOf(req), req.params.instanceId!)));
  });

  router.get(TRACKER_ROUTES.workflowFailedPings.path, async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    res.json(toPage(await failedPings(deps, accountOf(req), req.params.workflowId!, { limit, cursor }), limit, failedPingView));
  });

  return router;
}
