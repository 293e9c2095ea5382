import { z } from 'zod';
import { checkedJsonObject } from './json-object';
import { plainText, postTargetUrl } from './text';

// Seed 002's request bodies, as workflow-tracker validates them and the gateway's OpenAPI document describes them.

/** A public id of seed 002's objects (in ping URLs): chosen by the owner (`cron_backup`) or made (`hbk_…`, `wf_…`). */
export const TRACKER_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const TrackerPublicId = z.string().regex(TRACKER_ID, 'must be 1 to 64 letters, digits, _ or -');
const InstanceId = z.string().regex(TRACKER_ID, 'must be an instance id');
/** Alert channels of one workflow, heartbeat or process hook at most. */
export const MAX_TRACKER_ALERT_CHANNELS = 20;
/** The longest interval, grace period or repeat of a heartbeat, in seconds (milliseconds in a 32-bit integer). */
export const MAX_MONITOR_SECONDS = Math.floor(2_147_483_647 / 1000);
/** The longest a process run may take, in seconds: a week. */
export const MAX_RUN_SECONDS = 604_800;

const TEXT_CHARS = 200;
const Name = plainText().trim().min(1).max(TEXT_CHARS);
/** An agent's code (who ran a process, a per-agent budget limit): as long as a name. */
export const AgentCode = Name;
const EventsUrl = postTargetUrl();

// --- Workflows (seed 002) ---

const MAX_STAGES = 100;
/** A stage time-out or grace period: from a second to a week. */
const MAX_STAGE_SECONDS = 604_800;
const StageSeconds = z.number().int().min(1).max(MAX_STAGE_SECONDS);
const Stages = z.array(z.object({ name: Name })).min(1).max(MAX_STAGES);
const WorkflowAlertChannels = z.array(z.string().regex(TRACKER_ID, 'must be a channel id (ch_…)')).max(MAX_TRACKER_ALERT_CHANNELS);
const WorkflowKind = z.enum(['static', 'dynamic']);
const ValidationMode = z.enum(['strict', 'flexible']);

/** `POST /api/workflows`. Unknown fields are ignored. */
export const CreateWorkflowRequest = z
  .object({
    id: TrackerPublicId.optional(),
    name: Name,
    type: WorkflowKind.default('static'),
    // Flexible by default: the seed's plain curl examples carry no agent, and strict mode requires one.
    validation_mode: ValidationMode.default('flexible'),
    stages: Stages.optional(),
    stage_timeout_seconds: StageSeconds.nullable().optional(),
    grace_period_seconds: StageSeconds.nullable().optional(),
    alert_channels: WorkflowAlertChannels.default([]),
    events_url: EventsUrl.nullable().default(null),
  })
  .check((ctx) => {
    const body = ctx.value;
    if (body.type === 'static' && body.stages === undefined) {
      ctx.issues.push({ code: 'custom', path: ['stages'], message: `is required for a static workflow: 1 to ${MAX_STAGES} stages, each { "name" }`, input: body.stages });
    }
    if (body.type === 'dynamic' && body.stages !== undefined) {
      ctx.issues.push({ code: 'custom', path: ['stages'], message: 'must be absent: a dynamic workflow learns its stages from its pings', input: body.stages });
    }
  });
export type CreateWorkflowRequest = z.infer<typeof CreateWorkflowRequest>;

/** `PUT|PATCH /api/workflows/{id}`: any of the fields; null clears a time-out or grace period. */
export const UpdateWorkflowRequest = z.object({
  id: TrackerPublicId.optional(),
  name: Name.optional(),
  type: WorkflowKind.optional(),
  validation_mode: ValidationMode.optional(),
  stages: Stages.optional(),
  stage_timeout_seconds: StageSeconds.nullable().optional(),
  grace_period_seconds: StageSeconds.nullable().optional(),
  alert_channels: WorkflowAlertChannels.optional(),
  events_url: EventsUrl.nullable().optional(),
});
export type UpdateWorkflowRequest = z.infer<typeof UpdateWorkflowRequest>;

const INT32 = 2_147_483_647;
const Tokens = z.number().int().min(0).max(1_000_000_000).nullish();
const Label = plainText().trim().max(TEXT_CHARS).nullish();

/** The fields of a stage ping's JSON body that describe its LLM call (seed 002), and the instance it names. */
export const StagePingTelemetry = z.object({
  model_id: Label,
  usage: z.object({ input_tokens: Tokens, output_tokens: Tokens, total_tokens: Tokens }).nullish(),
  cost_usd: z.number().min(0).max(1_000_000).nullish(),
  // Each call's other fields are kept as sent.
  tool_calls: z
    .array(z.looseObject({ tool_name: plainText().min(1).max(200), latency_ms: z.number().int().min(0).max(INT32).nullish(), success: z.boolean().nullish() }))
    .max(100)
    .nullish(),
  handoff_reason: Label,
  context_size_bytes: z.number().int().min(0).max(INT32).nullish(),
  response_time_ms: z.number().int().min(0).max(INT32).nullish(),
  instance_id: InstanceId.nullish(),
});

/** `/shk/{id}`, `/dhk/{id}` (GET or POST): an optional JSON object; its other fields are the stage's payload. */
export const StagePingBody = StagePingTelemetry.catchall(z.unknown()).describe("the LLM call's fields; every other field is the stage's payload");

// --- Replay (seed 002) ---

/** A stage path as written: dot-separated whole numbers from 1 (`1`, `2.1`, `3.4.2`), at most 10 levels of 9 digits. */
export const STAGE_PATH = /^[1-9][0-9]{0,8}(?:\.[1-9][0-9]{0,8}){0,9}$/;
const MAX_MODIFIED_STAGES = 100;

/** `{ "<stage path>": { <keys that replace the stage payload's> } }`. */
const PayloadModifications = z
  .record(
    z.string().regex(STAGE_PATH, 'must be a stage path such as 1, 2.1 or 3.4.2'),
    checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: 32, maxBytes: 64 * 1024 }),
  )
  .refine((modifications) => Object.keys(modifications).length <= MAX_MODIFIED_STAGES, `at most ${MAX_MODIFIED_STAGES} stages`)
  .default({});

/** `POST /api/instances/{id}/fork` (seed 002); workflow-tracker reads `fork_from_stage` as a stage path. */
export const ForkRequest = z.object({ fork_from_stage: z.union([z.string(), z.number().int().positive()]), payload_modifications: PayloadModifications });

/** `POST /api/instances/{id}/rerun` (seed 002). */
export const RerunRequest = z.object({ payload_modifications: PayloadModifications });

/** `POST /api/instances/compare` (seed 002). */
export const CompareRequest = z.object({ instance_a: InstanceId, instance_b: InstanceId });

// --- Cost and budgets (seed 002) ---

/** A dollar amount a budget may hold: at least one micro-dollar (what is kept), at most a billion. */
const Usd = z.number().min(0.000001, 'must be at least 0.000001 (one micro-dollar)').max(1_000_000_000);
const MAX_AGENT_LIMITS = 100;

/** `PUT /api/workflows/{id}/budget` (seed 002), with `approve`, per-agent daily limits and the approval's time-out. */
export const BudgetRequest = z.object({
  budget_enabled: z.boolean().default(true),
  budget_limit_usd: Usd.nullish(),
  budget_alert_threshold_usd: Usd.nullish(),
  budget_daily_limit_usd: Usd.nullish(),
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
});
export type BudgetRequest = z.infer<typeof BudgetRequest>;

/** A model id as providers write them (`claude-3-opus-20240229`, `gpt-4o-mini`, `accounts/x/models/y`). */
export const ModelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/, 'must be a model id: letters, digits and . _ : / @ + -, at most 200');

/** USD per million tokens, kept to the micro-dollar; the dearest models cost well under $1,000. */
const PricePerMillion = z.number().min(0).max(10_000);

/** `PUT /api/model-prices`: the account's own prices, in USD per million tokens; models not named keep theirs. */
export const ModelPricesRequest = z.object({
  prices: z
    .array(z.object({ model_id: ModelId, input_usd_per_million: PricePerMillion, output_usd_per_million: PricePerMillion }))
    .min(1)
    .max(100)
    .refine((prices) => new Set(prices.map((price) => price.model_id)).size === prices.length, 'names a model twice'),
});
export type ModelPricesRequest = z.infer<typeof ModelPricesRequest>;

// --- Heartbeats and process hooks (seed 002) ---

const MonitorAlertChannels = z.array(plainText().min(1).max(100)).max(MAX_TRACKER_ALERT_CHANNELS);
const monitorSeconds = (min: number) => z.number().int().min(min).max(MAX_MONITOR_SECONDS);

const MonitorFields = z.object({
  name: Name,
  interval_seconds: monitorSeconds(1).nullable().optional(),
  cron: plainText().trim().min(1).max(120).nullable().optional(),
  /** null (what an interval monitor's view shows) is the same as leaving it out. */
  timezone: plainText().trim().min(1).max(64).nullable().optional(),
  grace_seconds: monitorSeconds(0),
  alert_channels: MonitorAlertChannels.optional(),
  repeat_alert_seconds: monitorSeconds(1).nullable().optional(),
  depends_on: TrackerPublicId.nullable().optional(),
});

const exactlyOneSchedule = (body: { interval_seconds?: number | null | undefined; cron?: string | null | undefined }, ctx: z.RefinementCtx) => {
  const given = [body.interval_seconds, body.cron].filter((v) => v !== undefined && v !== null).length;
  if (given !== 1) ctx.addIssue({ code: 'custom', path: ['interval_seconds'], message: 'give exactly one of interval_seconds and cron' });
};

/** `POST /api/heartbeats`. */
export const CreateMonitorRequest = MonitorFields.extend({ id: TrackerPublicId.optional() }).superRefine(exactlyOneSchedule);
/** `PUT /api/heartbeats/{id}`: every setting, as at creation (left out: the default). */
export const ReplaceMonitorRequest = MonitorFields.superRefine(exactlyOneSchedule);
export type ReplaceMonitorRequest = z.infer<typeof ReplaceMonitorRequest>;
/** `PATCH /api/heartbeats/{id}`: the settings given. */
export const PatchMonitorRequest = MonitorFields.partial();
export type PatchMonitorRequest = z.infer<typeof PatchMonitorRequest>;

const HookFields = z.object({
  name: Name,
  max_duration_seconds: z.number().int().min(1).max(MAX_RUN_SECONDS),
  alert_channels: MonitorAlertChannels.optional(),
});

/** `POST /api/process-hooks`. */
export const CreateHookRequest = HookFields.extend({ id: TrackerPublicId.optional() });
/** `PUT /api/process-hooks/{id}`: every setting (alert_channels left out: none). */
export const ReplaceHookRequest = HookFields;
export type ReplaceHookRequest = z.infer<typeof ReplaceHookRequest>;
/** `PATCH /api/process-hooks/{id}`: the settings given. */
export const PatchHookRequest = HookFields.partial();
export type PatchHookRequest = z.infer<typeof PatchHookRequest>;

// The ping bodies below are read field by field by workflow-tracker (the query wins over the body); these
// schemas describe them for the document.
const PingStatus = z.union([z.string(), z.number()]).describe('ok, success or 0: good; fail, failure or a non-zero exit code: a failure');
const Metadata = z.record(z.string(), z.unknown()).describe('a JSON object, at most 64 KiB, kept with the run');

/** `/hbk/{id}` (GET or POST): an optional JSON object, kept as the ping's metadata. */
export const HeartbeatPingBody = z.object({ status: PingStatus.optional() }).catchall(z.unknown()).describe("the ping's metadata (at most 64 KiB); status may also be in the query");

/** `/phk/{id}/start` (GET or POST): an optional JSON object. */
export const ProcessStartBody = z.object({ agent: AgentCode.nullish(), metadata: Metadata.nullish() });

/** `/phk/{id}/finish` (GET or POST): an optional JSON object. */
export const ProcessFinishBody = z.object({
  run_id: TrackerPublicId.nullish().describe('the run_id a start answered (default: the oldest open run)'),
  agent: AgentCode.nullish(),
  metadata: Metadata.nullish(),
  status: PingStatus.optional(),
});
