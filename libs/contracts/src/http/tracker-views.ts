import { z } from 'zod';
import { pageOf } from './management-lists';

// What seed 002's routes answer, as workflow-tracker writes it (its views are typed against these).

const JsonObject = z.record(z.string(), z.unknown());
/** An ISO 8601 time in UTC. */
const Time = z.string();
const Usd = z.number().describe('US dollars');

// --- Workflows ---

/** A workflow as its owner reads it; `ping_url` is where its pipeline pings (add `?key=…&stage=N`). */
export const WorkflowView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().describe('static | dynamic'),
  validation_mode: z.string().describe('strict | flexible'),
  /** A static workflow's stages; a dynamic one's are learned from its pings (empty here). */
  stages: z.array(z.object({ stage: z.number().int(), name: z.string() })),
  stage_timeout_seconds: z.number().int().nullable(),
  grace_period_seconds: z.number().int().nullable(),
  alert_channels: z.array(z.string()),
  events_url: z.string().nullable(),
  ping_url: z.string(),
  created_at: Time,
  updated_at: Time,
});
export type WorkflowView = z.infer<typeof WorkflowView>;

export const WorkflowList = pageOf(WorkflowView);

const PingAccepted = { status: z.literal('success'), workflow_id: z.string(), instance_id: z.string(), workflow_status: z.string() };
/** `/shk/{id}`: the stage recorded. */
export const StaticPingAnswer = z.object({ ...PingAccepted, stage_order: z.number().int() });
export type StaticPingAnswer = z.infer<typeof StaticPingAnswer>;
/** `/dhk/{id}`: the stage recorded. */
export const DynamicPingAnswer = z.object({ ...PingAccepted, stage_path: z.string() });
export type DynamicPingAnswer = z.infer<typeof DynamicPingAnswer>;

/** One stage of a tree or a run; `stage_name` and `agent_code` only when known, `payload` only on one instance. */
export const StageEntry = z.object({
  status: z.string().describe('healthy | failed | missed | timeout | pending'),
  stage_name: z.string().optional(),
  agent_code: z.string().optional(),
  payload: JsonObject.nullable().optional(),
});

/** The seed's tree and a run's `stage_statuses`: stage path → its stage, in stage order. */
export const StageTree = z.record(z.string(), StageEntry);

/** One run as the seed's instance history shows it. */
export const InstanceView = z.object({
  id: z.string(),
  status: z.string(),
  started_at: Time,
  /** Only once completed. */
  completed_at: Time.optional(),
  agent_code: z.string().nullable(),
  /** Only once failed (or terminated by its budget). */
  failure_reason: z.string().nullable().optional(),
  /** Only on a fork or re-run: `fork` | `rerun` and where it came from. */
  origin: z.string().optional(),
  source_instance_id: z.string().nullable().optional(),
  stage_statuses: StageTree,
});

/** `GET /api/workflows/{id}/instances`. */
export const WorkflowInstances = z.object({ running_instance: InstanceView.nullable(), recent_instances: z.array(InstanceView) });

/** `GET /api/instances/{id}`: the run, its workflow, what its own pings cost, each stage with its payload. */
export const SingleInstanceView = InstanceView.extend({ workflow_id: z.string(), cost_usd: Usd });

/** A refused stage ping: the code and message its caller got, and the details of the refusal. */
export const FailedPingView = z.object({
  id: z.string(),
  workflow_id: z.string(),
  instance_id: z.string().nullable(),
  stage: z.string(),
  agent_code: z.string().nullable(),
  error: z.string(),
  message: z.string().nullable(),
  details: JsonObject,
  received_at: Time,
});
export type FailedPingView = z.infer<typeof FailedPingView>;

export const FailedPingList = pageOf(FailedPingView);

// --- Cost, budgets and model prices ---

/** A budget as PUT takes it (seed 002's fields, then this product's). */
export const BudgetView = z.object({
  workflow_id: z.string(),
  budget_enabled: z.boolean(),
  budget_limit_usd: Usd.nullable(),
  budget_alert_threshold_usd: Usd.nullable(),
  budget_daily_limit_usd: Usd.nullable(),
  budget_action: z.string().describe('alert | pause | terminate | approve'),
  cost_anomaly_detection: z.boolean(),
  cost_anomaly_multiplier: z.number(),
  agent_daily_limits_usd: z.record(z.string(), Usd),
  approval_timeout_seconds: z.number().int(),
  updated_at: Time.nullable(),
});
export type BudgetView = z.infer<typeof BudgetView>;

/** Seed 002's workflow cost summary, with the cost by agent and by UTC day and the count of steps that could not be priced. */
export const WorkflowCostView = z.object({
  total_cost_usd: Usd,
  today_cost_usd: Usd,
  average_cost_per_instance_usd: Usd,
  instance_count: z.number().int(),
  most_expensive_instance: z.object({ id: z.string(), cost_usd: Usd }).nullable(),
  period_days: z.number().int(),
  by_agent: z.array(z.object({ agent_code: z.string().nullable(), cost_usd: Usd, steps: z.number().int() })),
  /** Each UTC day of the period with a step in it, oldest first (`date` as YYYY-MM-DD). */
  by_day: z.array(z.object({ date: z.string(), cost_usd: Usd, steps: z.number().int() })),
  unpriced_steps: z.number().int(),
});
export type WorkflowCostView = z.infer<typeof WorkflowCostView>;

const TokenCounts = { input_tokens: z.number().int().nullable(), output_tokens: z.number().int().nullable(), total_tokens: z.number().int().nullable() };

/** Seed 002's instance cost: its total and each costed step (`cost_usd` null and `unpriced` true where no price was known). */
export const InstanceCostView = z.object({
  instance_id: z.string(),
  total_cost_usd: Usd,
  breakdown: z.array(
    z.object({
      step: z.number().int(),
      stage_path: z.string(),
      agent_code: z.string().nullable(),
      model_id: z.string().nullable(),
      ...TokenCounts,
      cost_usd: Usd.nullable(),
      unpriced: z.boolean(),
      executed_at: Time,
    }),
  ),
});
export type InstanceCostView = z.infer<typeof InstanceCostView>;

/** Seed 002's cost alert (its id counts per workflow), with the agent (per-agent limits) and when it was resolved. */
export const CostAlertView = z.object({
  id: z.number().int(),
  alert_type: z.string(),
  instance_id: z.string(),
  current_cost_usd: Usd,
  threshold_usd: Usd,
  action_taken: z.string(),
  message: z.string(),
  /** Only for a per-agent limit. */
  agent_code: z.string().optional(),
  created_at: Time,
  resolved_at: Time.nullable(),
});
export type CostAlertView = z.infer<typeof CostAlertView>;

export const CostAlertList = z.object({ alerts: z.array(CostAlertView) });

/** `POST /api/instances/{id}/resume`. */
export const InstanceResumed = z.object({ message: z.string(), instance_id: z.string(), status: z.literal('running') });

export const ModelPriceView = z.object({
  model_id: z.string(),
  input_usd_per_million: Usd,
  output_usd_per_million: Usd,
  source: z.string().describe('shipped | account'),
});
export type ModelPriceView = z.infer<typeof ModelPriceView>;

/** `GET` and `PUT /api/model-prices`: the whole table. */
export const ModelPriceList = z.object({ prices: z.array(ModelPriceView) });

// --- Replay ---

/** Seed 002's timeline: the instance and its steps in order; a fork or re-run also says where it came from. */
export const TimelineView = z.object({
  instance_id: z.string(),
  workflow_id: z.string(),
  status: z.string(),
  total_steps: z.number().int(),
  cost_usd: Usd,
  origin: z.string().optional(),
  source_instance_id: z.string().nullable().optional(),
  fork_from_stage: z.string().optional(),
  session_id: z.string().nullable().optional(),
  payload_modifications: z.record(z.string(), JsonObject).optional(),
  timeline: z.array(
    z.object({
      step: z.number().int(),
      stage_path: z.string(),
      status: z.enum(['success', 'failed']),
      executed_at: Time,
      response_time_ms: z.number().int().nullable(),
      agent_code: z.string().nullable(),
      model_id: z.string().nullable(),
      ...TokenCounts,
      cost_usd: Usd.nullable(),
      cumulative_cost_usd: Usd,
      unpriced: z.boolean(),
      context_size_bytes: z.number().int().nullable(),
      handoff_reason: z.string().nullable(),
      tool_calls: z.array(JsonObject),
      /** A step a fork copied from its source (its cost was its source's). */
      copied: z.boolean(),
      payload: JsonObject.nullable(),
    }),
  ),
  /** Where the next page starts, when there is one. */
  next_from_step: z.number().int().optional(),
});
export type TimelineView = z.infer<typeof TimelineView>;

const ComparedInstance = z.object({
  id: z.string(),
  status: z.string(),
  aggregates: z.object({
    steps: z.number().int(),
    cost_usd: Usd,
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    total_tokens: z.number().int(),
    time_ms: z.number().int(),
    unpriced_steps: z.number().int(),
  }),
});
const ComparedStep = z.object({ stage_path: z.string(), status: z.enum(['success', 'failed']), payload: JsonObject.nullable() }).nullable();

/** Seed 002's comparison; every difference is instance_b minus instance_a. */
export const ComparisonView = z.object({
  session_id: z.string().nullable(),
  comparison: z.object({
    instance_a: ComparedInstance,
    instance_b: ComparedInstance,
    divergence_step: z.number().int().nullable(),
    differences: z.object({
      cost_diff_usd: Usd,
      token_diff: z.number().int(),
      time_diff_ms: z.number().int(),
      step_diff: z.number().int(),
      divergence: z.object({ step: z.number().int(), fields: z.array(z.string()), instance_a: ComparedStep, instance_b: ComparedStep }).nullable(),
    }),
  }),
});
export type ComparisonView = z.infer<typeof ComparisonView>;

/** `POST /api/instances/{id}/fork` (201). */
export const ForkAnswer = z.object({ forked_instance_id: z.string(), session_id: z.string(), fork_from_stage: z.string(), stages_copied: z.number().int() });
/** `POST /api/instances/{id}/rerun` (201). */
export const RerunAnswer = z.object({ new_instance_id: z.string(), session_id: z.string(), message: z.string() });

// --- Process hooks ---

/** A process hook, with where to ping it (add `?key=` or send the key another way). */
export const ProcessHookView = z.object({
  id: z.string(),
  name: z.string(),
  max_duration_seconds: z.number(),
  alert_channels: z.array(z.string()),
  start_url: z.string(),
  finish_url: z.string(),
  created_at: Time,
  updated_at: Time,
});
export type ProcessHookView = z.infer<typeof ProcessHookView>;

export const ProcessHookList = pageOf(ProcessHookView);

/** One run: `duration_ms` null while it runs; `overdue` once it outlived the maximum. */
export const ProcessRunView = z.object({
  run_id: z.string(),
  status: z.string(),
  agent: z.string().nullable(),
  started_at: Time,
  finished_at: Time.nullable(),
  duration_ms: z.number().int().nullable(),
  overdue: z.boolean(),
  start_metadata: JsonObject.nullable(),
  finish_metadata: JsonObject.nullable(),
});
export type ProcessRunView = z.infer<typeof ProcessRunView>;

/** The runs' list pages by run id, newest first (`next_cursor` is a run_id). */
export const ProcessRunList = pageOf(ProcessRunView);

/** `/phk/{id}/start`. */
export const ProcessStarted = z.object({ status: z.literal('success'), process_hook_id: z.string(), run_id: z.string(), started_at: Time });
/** `/phk/{id}/finish`. */
export const ProcessFinished = z.object({ status: z.literal('success'), process_hook_id: z.string(), run_id: z.string(), duration_ms: z.number().int(), result: z.string() });

// --- Heartbeats ---

/** A heartbeat monitor. `ping_url` is where to ping it (add `?key=` or send the key another way). */
export const MonitorView = z.object({
  id: z.string(),
  name: z.string(),
  interval_seconds: z.number().nullable(),
  cron: z.string().nullable(),
  /** Only a cron schedule has a zone: an interval monitor shows null, so its view can be PUT back as it is. */
  timezone: z.string().nullable(),
  grace_seconds: z.number(),
  state: z.string().describe('new | up | late | down'),
  paused: z.boolean(),
  last_ping_at: Time.nullable(),
  next_expected_at: Time.nullable(),
  repeat_alert_seconds: z.number().nullable(),
  depends_on: z.string().nullable(),
  alert_channels: z.array(z.string()),
  ping_url: z.string(),
  created_at: Time,
  updated_at: Time,
});
export type MonitorView = z.infer<typeof MonitorView>;

export const MonitorList = pageOf(MonitorView);

export const MonitorPingView = z.object({ id: z.string(), status: z.string(), metadata: JsonObject.nullable(), received_at: Time });
export type MonitorPingView = z.infer<typeof MonitorPingView>;

export const MonitorPingList = pageOf(MonitorPingView);

/** `/hbk/{id}`: the ping recorded, and the monitor's state after it. */
export const HeartbeatAnswer = z.object({ status: z.literal('success'), target_id: z.string(), state: z.string(), paused: z.boolean(), received_at: Time });

// --- Alerts ---

/** An alert of a workflow, heartbeat or process hook, and whether someone acknowledged it. */
export const AlertView = z.object({
  id: z.string(),
  event: z.string(),
  subject: z.object({ type: z.string(), id: z.string() }),
  title: z.string(),
  body: z.string(),
  repeats: z.number().int(),
  created_at: Time,
  acknowledged_at: Time.nullable(),
  acknowledged_by: z.string().nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

export const AlertList = pageOf(AlertView);
