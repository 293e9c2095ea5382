/** What a stage ping reports about the LLM call behind it (seed 002's "Sending Cost Data with Webhooks"). */
export interface StepTelemetry {
  modelId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  /** As sent, in micro-dollars; null when the ping sent no `cost_usd`. */
  costMicros: bigint | null;
  toolCalls: unknown[] | null;
  handoffReason: string | null;
  contextSizeBytes: number | null;
  responseTimeMs: number | null;
}

export const NO_TELEMETRY: StepTelemetry = {
  modelId: null,
  inputTokens: null,
  outputTokens: null,
  totalTokens: null,
  costMicros: null,
  toolCalls: null,
  handoffReason: null,
  contextSizeBytes: null,
  responseTimeMs: null,
};

/** Whether the ping said anything about cost: then a cost it cannot be given is `unpriced`, never a silent zero. */
export const reportsCost = (telemetry: StepTelemetry): boolean =>
  telemetry.costMicros !== null || telemetry.modelId !== null || telemetry.inputTokens !== null || telemetry.outputTokens !== null || telemetry.totalTokens !== null;
