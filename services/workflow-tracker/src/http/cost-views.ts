import type { BudgetView, CostAlertView, InstanceCostView, ModelPriceView, WorkflowCostView } from '@pingback/contracts';
import type { Budget } from '../domain/costs/budget';
import type { WorkflowCost } from '../domain/costs/cost-reads';
import type { ModelPrice } from '../domain/costs/model-prices';
import { microsToUsd, usdOrNull, roundedDivision } from '../domain/costs/money';

/** A budget as PUT takes it (seed 002's fields, then this product's). */
export const budgetView = (workflowId: string, budget: Budget): BudgetView => ({
  workflow_id: workflowId,
  budget_enabled: budget.enabled,
  budget_limit_usd: usdOrNull(budget.limitMicros),
  budget_alert_threshold_usd: usdOrNull(budget.alertThresholdMicros),
  budget_daily_limit_usd: usdOrNull(budget.dailyLimitMicros),
  budget_action: budget.action,
  cost_anomaly_detection: budget.anomalyDetection,
  cost_anomaly_multiplier: budget.anomalyMultiplier,
  agent_daily_limits_usd: Object.fromEntries(Object.entries(budget.agentDailyLimits).map(([agent, micros]) => [agent, microsToUsd(micros)])),
  approval_timeout_seconds: budget.approvalTimeoutSeconds,
  updated_at: budget.updatedAt?.toISOString() ?? null,
});

/** Seed 002's workflow cost summary, with the cost by agent and by UTC day and the count of steps that could not be priced. */
export function workflowCostView(cost: WorkflowCost): WorkflowCostView {
  const average = cost.instanceCount === 0 ? 0n : roundedDivision(cost.totalMicros, BigInt(cost.instanceCount));
  return {
    total_cost_usd: microsToUsd(cost.totalMicros),
    today_cost_usd: microsToUsd(cost.todayMicros),
    average_cost_per_instance_usd: microsToUsd(average),
    instance_count: cost.instanceCount,
    most_expensive_instance: cost.mostExpensive ? { id: cost.mostExpensive.id, cost_usd: microsToUsd(cost.mostExpensive.costMicros) } : null,
    period_days: cost.periodDays,
    by_agent: cost.byAgent.map((agent) => ({ agent_code: agent.agentCode, cost_usd: microsToUsd(agent.costMicros), steps: agent.steps })),
    by_day: cost.byDay.map((day) => ({ date: day.date, cost_usd: microsToUsd(day.costMicros), steps: day.steps })),
    unpriced_steps: cost.unpricedSteps,
  };
}

interface BreakdownRow {
  step: number;
  path: string;
  agentCode: string | null;
  modelId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  costMicros: bigint | null;
  unpriced: boolean;
  executedAt: Date;
}

/** Seed 002's instance cost: its total and each costed step (`cost_usd` null and `unpriced` true where no price was known). */
export const instanceCostView = (instance: { id: string; costMicros: bigint }, breakdown: readonly BreakdownRow[]): InstanceCostView => ({
  instance_id: instance.id,
  total_cost_usd: microsToUsd(instance.costMicros),
  breakdown: breakdown.map((row) => ({
    step: row.step,
    stage_path: row.path,
    agent_code: row.agentCode,
    model_id: row.modelId,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    total_tokens: row.totalTokens,
    cost_usd: usdOrNull(row.costMicros),
    unpriced: row.unpriced,
    executed_at: row.executedAt.toISOString(),
  })),
});

interface CostAlertRow {
  number: number;
  alertType: string;
  instanceId: string;
  currentCostMicros: bigint;
  thresholdMicros: bigint;
  actionTaken: string;
  message: string;
  agentCode: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

/** Seed 002's cost alert (its id counts per workflow), with the agent (per-agent limits) and when it was resolved. */
export const costAlertView = (alert: CostAlertRow): CostAlertView => ({
  id: alert.number,
  alert_type: alert.alertType,
  instance_id: alert.instanceId,
  current_cost_usd: microsToUsd(alert.currentCostMicros),
  threshold_usd: microsToUsd(alert.thresholdMicros),
  action_taken: alert.actionTaken,
  message: alert.message,
  ...(alert.agentCode !== null ? { agent_code: alert.agentCode } : {}),
  created_at: alert.createdAt.toISOString(),
  resolved_at: alert.resolvedAt?.toISOString() ?? null,
});

export const modelPriceView = (price: ModelPrice): ModelPriceView => ({
  model_id: price.modelId,
  input_usd_per_million: microsToUsd(price.inputMicrosPerMTok),
  output_usd_per_million: microsToUsd(price.outputMicrosPerMTok),
  source: price.source,
});
