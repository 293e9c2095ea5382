import { CreateWorkflowRequest, toPage, TRACKER_ROUTES, UpdateWorkflowRequest } from '@pingback/contracts';
import { Router, type RequestHandler } from 'express';
import { createWorkflow, deleteWorkflow, findOwnedWorkflow, updateWorkflow } from '../domain/workflows/workflows';
import { listWorkflows } from '../domain/workflows/workflow-reads';
import { invalidField } from '../domain/domain-errors';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { WorkflowListQuery } from './workflow-requests';
import { workflowView } from './workflow-views';

const seconds = (value: number | null | undefined) => (value === undefined ? undefined : value === null ? null : value * 1000);

/** What the seed does "in the dashboard": create, list, read, change and delete workflows. */
export function workflowManagementRoutes(deps: TrackerDeps): Router {
  const router = Router();
  const view = (workflow: Parameters<typeof workflowView>[0]) => workflowView(workflow, deps.alerts.publicUrl);

  router.post(TRACKER_ROUTES.workflows.path, async (req, res) => {
    const body = CreateWorkflowRequest.parse(req.body ?? {});
    const workflow = await createWorkflow(deps, accountOf(req), {
      ...(body.id !== undefined ? { id: body.id } : {}),
      kind: body.type,
      name: body.name,
      validationMode: body.validation_mode,
      stages: (body.stages ?? []).map((stage) => stage.name),
      stageTimeoutMs: seconds(body.stage_timeout_seconds) ?? null,
      gracePeriodMs: seconds(body.grace_period_seconds) ?? null,
      alertChannels: body.alert_channels,
      eventsUrl: body.events_url,
    });
    res.status(201).json(view(workflow));
  });

  router.get(TRACKER_ROUTES.workflows.path, async (req, res) => {
    const { limit, cursor } = WorkflowListQuery.parse(req.query);
    res.json(toPage(await listWorkflows(deps, accountOf(req), { limit, cursor }), limit, view));
  });

  router.get(TRACKER_ROUTES.workflow.path, async (req, res) => {
    res.json(view(await findOwnedWorkflow(deps, accountOf(req), req.params.workflowId!)));
  });

  const update: RequestHandler<{ workflowId: string }> = async (req, res) => {
    const workflowId = req.params.workflowId;
    const body = UpdateWorkflowRequest.parse(req.body ?? {});
    if (body.id !== undefined && body.id !== workflowId) throw invalidField('id', 'cannot change: a workflow keeps its id (it is in its ping URL)');
    const workflow = await updateWorkflow(deps, accountOf(req), workflowId, {
      ...(body.type !== undefined ? { kind: body.type } : {}),
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.validation_mode !== undefined ? { validationMode: body.validation_mode } : {}),
      ...(body.stages !== undefined ? { stages: body.stages.map((stage) => stage.name) } : {}),
      ...(body.stage_timeout_seconds !== undefined ? { stageTimeoutMs: seconds(body.stage_timeout_seconds) } : {}),
      ...(body.grace_period_seconds !== undefined ? { gracePeriodMs: seconds(body.grace_period_seconds) } : {}),
      ...(body.alert_channels !== undefined ? { alertChannels: body.alert_channels } : {}),
      ...(body.events_url !== undefined ? { eventsUrl: body.events_url } : {}),
    });
    res.json(view(workflow));
  };
  router.put(TRACKER_ROUTES.workflow.path, update);
  router.patch(TRACKER_ROUTES.workflow.path, update);

  router.delete(TRACKER_ROUTES.workflow.path, async (req, res) => {
    await deleteWorkflow(deps, accountOf(req), req.params.workflowId!);
    res.status(204).end();
  });

  return router;
}
