import { ModelId, ModelPricesRequest, TRACKER_ROUTES } from '@pingback/contracts';
import { Router } from 'express';
import { putBudget, readBudget } from '../domain/costs/budget';
import { instanceCost, listCostAlerts, workflowCost } from '../domain/costs/cost-reads';
import { deleteModelPrice, listModelPrices, setModelPrices } from '../domain/costs/model-prices';
import { usdToMicros } from '../domain/costs/money';
import { resumeByApi } from '../domain/workflows/resume-instance';
import type { TrackerDeps } from '../tracker-deps';
import { accountOf } from './account';
import { BudgetBody, CostAlertsQuery, CostQuery } from './cost-requests';
import { budgetView, costAlertView, instanceCostView, modelPriceView, workflowCostView } from './cost-views';

/** Seed 002's cost monitoring and circuit breakers, and the model price table behind them. */
export function costRoutes(deps: TrackerDeps): Router {
  const router = Router();

  router.get(TRACKER_ROUTES.workflowCost.path, async (req, res) => {
    const { days } = CostQuery.parse(req.query);
    res.json(workflowCostView(await workflowCost(deps, accountOf(req), req.params.workflowId!, days)));
  });

  router.get(TRACKER_ROUTES.instanceCost.path, async (req, res) => {
    const { instance, breakdown } = await instanceCost(deps, accountOf(req), req.params.instanceId!);
    res.json(instanceCostView(instance, breakdown));
  });

  router.get(TRACKER_ROUTES.workflowBudget.path, async (req, res) => {
    res.json(budgetView(req.params.workflowId!, await readBudget(deps, accountOf(req), req.params.workflowId!)));
  });

  router.put(TRACKER_ROUTES.workflowBudget.path, async (req, res) => {
    const budget = BudgetBody.parse(req.body ?? {});
    res.json(budgetView(req.params.workflowId!, await putBudget(deps, accountOf(req), req.params.workflowId!, budget)));
  });

  router.get(TRACKER_ROUTES.workflowCostAlerts.path, async (req, res) => {
    const { limit, include_resolved } = CostAlertsQuery.parse(req.query);
    const alerts = await listCostAlerts(deps, accountOf(req), req.params.workflowId!, { limit, includeResolved: include_resolved });
    res.json({ alerts: alerts.map(costAlertView) });
  });

  router.post(TRACKER_ROUTES.instanceResume.path, async (req, res) => {
    const instanceId = req.params.instanceId!;
    await resumeByApi(deps, accountOf(req), instanceId);
    res.json({ message: 'Instance resumed', instance_id: instanceId, status: 'running' });
  });

  router.get(TRACKER_ROUTES.modelPrices.path, async (req, res) => {
    res.json({ prices: (await listModelPrices(deps.db, accountOf(req))).map(modelPriceView) });
  });

  router.put(TRACKER_ROUTES.modelPrices.path, async (req, res) => {
    const accountId = accountOf(req);
    const { prices } = ModelPricesRequest.parse(req.body ?? {});
    await setModelPrices(
      deps.db,
      accountId,
      prices.map((price) => ({ modelId: price.model_id, inputMicrosPerMTok: usdToMicros(price.input_usd_per_million), outputMicrosPerMTok: usdToMicros(price.output_usd_per_million) })),
    );
    res.json({ prices: (await listModelPrices(deps.db, accountId)).map(modelPriceView) });
  });

  router.delete(TRACKER_ROUTES.modelPrice.path, async (req, res) => {
    await deleteModelPrice(deps.db, accountOf(req), ModelId.parse(req.params.modelId));
    res.status(204).end();
  });

  return router;
}
