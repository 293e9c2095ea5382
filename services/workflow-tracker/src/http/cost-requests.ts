import { BudgetRequest } from '@pingback/contracts';
import { z } from 'zod';
import { usdToMicros } from '../domain/costs/money';
import { wholeNumberQuery } from './query-numbers';

const microsOrNull = (usd: number | null | undefined) => (usd === null || usd === undefined ? null : usdToMicros(usd));

/** `PUT /api/workflows/{id}/budget` (seed 002): the contract's body, in the domain's micro-dollars. */
export const BudgetBody = BudgetRequest.transform((body) => ({
  enabled: body.budget_enabled,
  limitMicros: microsOrNull(body.budget_limit_usd),
  alertThresholdMicros: microsOrNull(body.budget_alert_threshold_usd),
  dailyLimitMicros: microsOrNull(body.budget_daily_limit_usd),
  action: body.budget_action,
  anomalyDetection: body.cost_anomaly_detection,
  anomalyMultiplier: body.cost_anomaly_multiplier,
  agentDailyLimits: Object.fromEntries(Object.entries(body.agent_daily_limits_usd).map(([agent, usd]) => [agent.trim(), usdToMicros(usd)])),
  approvalTimeoutSeconds: body.approval_timeout_seconds,
}));

/** `GET /api/workflows/{id}/cost?days=N`: 1 to 365, default 7 (seed 002). */
export const CostQuery = z.object({ days: wholeNumberQuery(1, 365, 7, 'a whole number of days') });

/** `GET /api/workflows/{id}/cost-alerts?limit=&include_resolved=`: limit 1 to 200, default 50 (seed 002). */
export const CostAlertsQuery = z.object({
  limit: wholeNumberQuery(1, 200, 50),
  include_resolved: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .default(false),
});
