import { StagePingTelemetry, TRACKER_ID } from '@pingback/contracts';
import { usdToMicros } from '../domain/costs/money';
import type { StepTelemetry } from '../domain/costs/step-telemetry';
import { invalidField } from '../domain/domain-errors';

/** The fields of a stage ping's JSON body that describe its LLM call (seed 002), and the instance it names. */
const TelemetryFields = StagePingTelemetry;

const TELEMETRY_KEYS: ReadonlySet<string> = new Set(Object.keys(TelemetryFields.shape));

export interface StageBody {
  /** The rest of the body: the stage's payload (null when nothing is left). */
  payload: Record<string, unknown> | null;
  telemetry: StepTelemetry;
  /** The instance the ping names (a fork or re-run), from `?instance_id=` or the body. */
  instanceId: string | null;
}

/**
 * A stage ping's JSON body: its cost fields (`model_id`, `usage`, `cost_usd`, `tool_calls`, `handoff_reason`,
 * `context_size_bytes`, `response_time_ms`) and `instance_id` are read and taken out; what remains is the stage's
 * payload. The gateway forwards `{}` for a POST without a body.
 */
export function readStageBody(body: unknown, queryInstanceId: string | undefined): StageBody {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw invalidField('', 'must be a JSON object (the payload of the stage), or no body at all');
  }
  const all = (body ?? {}) as Record<string, unknown>;
  const fields = TelemetryFields.parse(all);
  const payload = Object.fromEntries(Object.entries(all).filter(([key]) => !TELEMETRY_KEYS.has(key)));
  const fromQuery = queryInstanceId === undefined || queryInstanceId === '' ? null : queryInstanceId;
  if (fromQuery !== null && !TRACKER_ID.test(fromQuery)) throw invalidField('instance_id', 'must be an instance id');
  if (fromQuery !== null && fields.instance_id && fields.instance_id !== fromQuery) throw invalidField('instance_id', 'names another instance in the query than in the body: send one');
  const usage = fields.usage ?? {};
  const input = usage.input_tokens ?? null;
  const output = usage.output_tokens ?? null;
  return {
    payload: Object.keys(payload).length === 0 ? null : payload,
    instanceId: fromQuery ?? fields.instance_id ?? null,
    telemetry: {
      modelId: fields.model_id || null,
      inputTokens: input,
      outputTokens: output,
      totalTokens: usage.total_tokens ?? (input !== null || output !== null ? (input ?? 0) + (output ?? 0) : null),
      costMicros: fields.cost_usd === null || fields.cost_usd === undefined ? null : usdToMicros(fields.cost_usd),
      toolCalls: fields.tool_calls ?? null,
      handoffReason: fields.handoff_reason || null,
      contextSizeBytes: fields.context_size_bytes ?? null,
      responseTimeMs: fields.response_time_ms ?? null,
    },
  };
}
