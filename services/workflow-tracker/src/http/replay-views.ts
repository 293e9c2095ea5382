import type { ComparisonView, TimelineView } from '@pingback/contracts';
import type { Comparison, StepSide } from '../domain/replay/compare-instances';
import type { Timeline } from '../domain/replay/timeline';
import { microsToUsd, usdOrNull } from '../domain/costs/money';

/** A step's status as the seed's timeline writes it. */
const stepStatus = (stored: string): 'success' | 'failed' => (stored === 'healthy' ? 'success' : 'failed');

/** A step as the timeline shows it; its JSON columns hold what the ping (or the fork's modifications) carried. */
type Step = TimelineView['timeline'][number];

/**
 * Seed 002's timeline: the instance and its steps in order, each with its model, tokens, cost and payload. A fork
 * or re-run also says where it came from; a copied step says `copied: true` (its cost was its source's).
 */
export function timelineView({ instance, totalSteps, steps }: Timeline): TimelineView {
  const last = steps.at(-1);
  return {
    instance_id: instance.id,
    workflow_id: instance.workflowId,
    status: instance.status,
    total_steps: totalSteps,
    cost_usd: microsToUsd(instance.costMicros),
    ...(instance.origin !== 'ping'
      ? {
          origin: instance.origin,
          source_instance_id: instance.sourceInstanceId,
          ...(instance.forkFromStage !== null ? { fork_from_stage: instance.forkFromStage } : {}),
          session_id: instance.sessionId,
          payload_modifications: (instance.payloadModifications ?? {}) as TimelineView['payload_modifications'],
        }
      : {}),
    timeline: steps.map((step) => ({
      step: step.step,
      stage_path: step.path,
      status: stepStatus(step.status),
      executed_at: step.executedAt.toISOString(),
      response_time_ms: step.responseTimeMs,
      agent_code: step.agentCode,
      model_id: step.modelId,
      input_tokens: step.inputTokens,
      output_tokens: step.outputTokens,
      total_tokens: step.totalTokens,
      cost_usd: usdOrNull(step.costMicros),
      cumulative_cost_usd: microsToUsd(step.cumulativeCostMicros),
      unpriced: step.unpriced,
      context_size_bytes: step.contextSizeBytes,
      handoff_reason: step.handoffReason,
      tool_calls: (step.toolCalls ?? []) as Step['tool_calls'],
      copied: step.copiedFrom !== null,
      payload: (step.payload ?? null) as Step['payload'],
    })),
    ...(last && last.step + 1 < totalSteps ? { next_from_step: last.step + 1 } : {}),
  };
}

const aggregatesView = (side: Comparison['a']) => ({
  id: side.id,
  status: side.status,
  aggregates: {
    steps: side.aggregates.steps,
    cost_usd: microsToUsd(side.aggregates.costMicros),
    input_tokens: side.aggregates.inputTokens,
    output_tokens: side.aggregates.outputTokens,
    total_tokens: side.aggregates.totalTokens,
    time_ms: side.aggregates.timeMs,
    unpriced_steps: side.aggregates.unpricedSteps,
  },
});

const sideView = (side: StepSide | null) => (side ? { stage_path: side.path, status: stepStatus(side.status), payload: side.payload as Step['payload'] } : null);

/** Seed 002's comparison; every difference is instance_b minus instance_a. */
export function comparisonView(comparison: Comparison): ComparisonView {
  const { a, b } = comparison;
  return {
    session_id: comparison.sessionId,
    comparison: {
      instance_a: aggregatesView(a),
      instance_b: aggregatesView(b),
      divergence_step: comparison.divergence?.step ?? null,
      differences: {
        cost_diff_usd: microsToUsd(b.aggregates.costMicros - a.aggregates.costMicros),
        token_diff: b.aggregates.totalTokens - a.aggregates.totalTokens,
        time_diff_ms: b.aggregates.timeMs - a.aggregates.timeMs,
        step_diff: b.aggregates.steps - a.aggregates.steps,
        divergence: comparison.divergence ? { step: comparison.divergence.step, fields: comparison.divergence.fields, instance_a: sideView(comparison.divergence.a), instance_b: sideView(comparison.divergence.b) } : null,
      },
    },
  };
}
