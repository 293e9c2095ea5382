import { TRACKER_ROUTES } from '@pingback/contracts';
import { Router, type RequestHandler } from 'express';
import { pingDynamicStage } from '../domain/workflows/dynamic-ping';
import { parseStagePath } from '../domain/workflows/stage-path';
import { pingStaticStage } from '../domain/workflows/static-ping';
import { invalidField } from '../domain/domain-errors';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { readStageBody } from './stage-body';
import { DynamicPingQuery, StaticPingQuery, stagePathParameter } from './workflow-requests';

/** Seed 002's stage pings, GET or POST: `/shk/{id}` (static workflows) and `/dhk/{id}` (dynamic ones). */
export function workflowPingRoutes(deps: TrackerDeps): Router {
  const router = Router();

  const staticPing: RequestHandler<{ workflowId: string }> = async (req, res) => {
    const accountId = accountOf(req);
    const query = StaticPingQuery.parse(req.query);
    const body = readStageBody(req.body, query.instance_id);
    const answer = await pingStaticStage(deps, { accountId, workflowId: req.params.workflowId, stage: query.stage, agent: query.agent, ...body });
    res.json({ status: 'success', workflow_id: answer.workflowId, instance_id: answer.instanceId, stage_order: answer.stage, workflow_status: answer.status });
  };

  const dynamicPing: RequestHandler<{ workflowId: string }> = async (req, res) => {
    const accountId = accountOf(req);
    const query = DynamicPingQuery.parse(req.query);
    const named = stagePathParameter(query);
    const parsed = parseStagePath(named.text);
    if (!parsed.ok) throw invalidField(named.field, parsed.problem);
    const body = readStageBody(req.body, query.instance_id);
    const answer = await pingDynamicStage(deps, {
      accountId,
      workflowId: req.params.workflowId,
      path: parsed.text,
      start: query.start,
      final: query.final,
      stageName: query.stagename,
      agent: query.agent,
      ...body,
    });
    res.json({ status: 'success', workflow_id: answer.workflowId, instance_id: answer.instanceId, stage_path: answer.path, workflow_status: answer.status });
  };

  router.route(TRACKER_ROUTES.staticPing.path).get(staticPing).post(staticPing);
  router.route(TRACKER_ROUTES.dynamicPing.path).get(dynamicPing).post(dynamicPing);
  return router;
}
