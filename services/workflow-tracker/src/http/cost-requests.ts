import { plainText } from '@pingback/contracts';
import { z } from 'zod';
import { usdToMicros } from '../domain/costs/money';
import { wholeNumberQuery } from './query-numbers';

/** A dollar amount a budget may hold: at least one micro-dollar (what is kept), at most a billion. */
const Usd = z.number().min(0.000001, 'must be at least 0.000001 (one micro-dollar)').max(1_000_000_000);
const OptionalLimit = Usd.nullish().transform((usd) => (usd === null || usd === undefined ? null : usdToMicros(usd)));
const MAX_AGENT_LIMITS = 100;
const AgentCode = plainText().trim().min(1).max(200);

/** `PUT /api/workflows/{id}/budget` (seed 002), with `approve`, per-agent daily limits and the approval's time-out. */
export const BudgetBody = z
  .object({
    budget_enabled: z.boolean().default(true),
    budget_limit_usd: OptionalLimit,
    budget_alert_threshold_usd: OptionalLimit,
    budget_daily_limit_usd: OptionalLimit,
    budget_action: z.enum(['alert', 'pause', 'terminate', 'approve']).default('alert'),
    cost_anomaly_detection: z.boolean().default(false),
    // Thousandths at most: the anomaly line is compared in whole numbers.
    cost_anomaly_multiplier: z
      .number()
      .min(1)
      .max(1_000)
      .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'at most three decimals')
      .default(3),
    agent_daily_limits_usd: z
      .record(AgentCode, Usd)
      .refine((limits) => Object.keys(limits).length <= MAX_AGENT_LIMITS, `at most ${MAX_AGENT_LIMITS} agents`)
      .default({}),
    approval_timeout_seconds: z.number().int().min(1).max(86_400).default(3_600),
  })
  .transform((body) => ({
    enabled: body.budget_enabled,
    limitMicros: body.budget_limit_usd,
    alertThresholdMicros: body.budget_alert_threshold_usd,
    dailyLimitMicros: body.budget_daily_limit_usd,
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

/** A model id as providers write them (`claude-3-opus-20240229`, `gpt-4o-mini`, `accounts/x/models/y`). */
export const ModelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/, 'must be a model id: letters, digits and . _ : / @ + -, at most 200');

/** USD per million tokens, kept to the micro-dollar; the dearest models cost well under $1,000. */
const PricePerMillion = z.number().min(0).max(10_000);

/** `PUT /api/model-prices`: the account's own prices, in USD per million tokens; models not named keep theirs. */
export const ModelPricesBody = z.object({
  prices: z
    .array(z.object({ model_id: ModelId, input_usd_per_million: PricePerMillion, output_usd_per_million: PricePerMillion }))
    .min(1)
    .max(100)
    .refine((prices) => new Set(prices.map((price) => price.model_id)).size === prices.length, 'names a model twice'),
});
