import { CompareRequest, RerunRequest, TRACKER_ROUTES } from '@pingback/contracts';
import { Router } from 'express';
import { compareInstances } from '../domain/replay/compare-instances';
import { forkInstance } from '../domain/replay/fork-instance';
import { rerunInstance } from '../domain/replay/rerun-instance';
import { readTimeline } from '../domain/replay/timeline';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { ForkBody, TimelineQuery } from './replay-requests';
import { comparisonView, timelineView } from './replay-views';

/** Seed 002's time-travel replay: an instance's timeline, forks, re-runs and comparisons. */
export function replayRoutes(deps: TrackerDeps): Router {
  const router = Router();

  router.get(TRACKER_ROUTES.instanceTimeline.path, async (req, res) => {
    const { from_step, limit } = TimelineQuery.parse(req.query);
    res.json(timelineView(await readTimeline(deps, accountOf(req), req.params.instanceId!, { fromStep: from_step, limit })));
  });

  router.post(TRACKER_ROUTES.instanceFork.path, async (req, res) => {
    const body = ForkBody.parse(req.body ?? {});
    const fork = await forkInstance(deps, accountOf(req), req.params.instanceId!, { forkFromStage: body.fork_from_stage, modifications: body.payload_modifications });
    res.status(201).json({ forked_instance_id: fork.instanceId, session_id: fork.sessionId, fork_from_stage: fork.forkFromStage, stages_copied: fork.stagesCopied });
  });

  router.post(TRACKER_ROUTES.instanceRerun.path, async (req, res) => {
    const body = RerunRequest.parse(req.body ?? {});
    const rerun = await rerunInstance(deps, accountOf(req), req.params.instanceId!, body.payload_modifications);
    res.status(201).json({ new_instance_id: rerun.instanceId, session_id: rerun.sessionId, message: 'Instance created and ready for re-execution' });
  });

  router.post(TRACKER_ROUTES.instancesCompare.path, async (req, res) => {
    const body = CompareRequest.parse(req.body ?? {});
    res.json(comparisonView(await compareInstances(deps, accountOf(req), body.instance_a, body.instance_b)));
  });

  return router;
}
