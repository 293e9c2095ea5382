import type { TrackerTx } from '../../data/prisma';
import { MAX_TOTAL_MICROS } from '../costs/money';
import { costTooLarge, type StepCost } from '../costs/price-step';
import type { StepTelemetry } from '../costs/step-telemetry';

export interface NewStep {
  instanceId: string;
  workflowId: string;
  path: string;
  status: 'healthy' | 'failed';
  stageName: string | null;
  agentCode: string | null;
  payload: Record<string, unknown> | null;
  telemetry: StepTelemetry;
  cost: StepCost;
  at: Date;
  /** The ping started this run: it is the first step, and nothing needs reading. */
  startsRun: boolean;
}

/**
 * Appends a ping to its instance's timeline as the next step, with its running total. Called under the workflow's
 * lock (every ping of a workflow takes it), so steps of one instance are numbered without gaps or races.
 */
export async function recordStep(tx: TrackerTx, step: NewStep): Promise<void> {
  const previous = step.startsRun
    ? null
    : await tx.instanceStep.findFirst({ where: { instanceId: step.instanceId }, orderBy: { step: 'desc' }, select: { step: true, executedAt: true, cumulativeCostMicros: true } });
  // A fork's or re-run's first ping counts from when it was made.
  const since = step.startsRun ? step.at : (previous?.executedAt ?? (await tx.workflowInstance.findUniqueOrThrow({ where: { id: step.instanceId }, select: { startedAt: true } })).startedAt);
  const t = step.telemetry;
  const cumulativeCostMicros = (previous?.cumulativeCostMicros ?? 0n) + (step.cost.costMicros ?? 0n);
  if (cumulativeCostMicros > MAX_TOTAL_MICROS) throw costTooLarge(step.cost, t);
  await tx.instanceStep.create({
    data: {
      instanceId: step.instanceId,
      step: previous ? previous.step + 1 : 0,
      workflowId: step.workflowId,
      path: step.path,
      status: step.status,
      stageName: step.stageName,
      agentCode: step.agentCode,
      executedAt: step.at,
      responseTimeMs: t.responseTimeMs ?? Math.max(0, step.at.getTime() - since.getTime()),
      modelId: t.modelId,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      totalTokens: t.totalTokens,
      costMicros: step.cost.costMicros,
      unpriced: step.cost.unpriced,
      cumulativeCostMicros,
      contextSizeBytes: t.contextSizeBytes,
      handoffReason: t.handoffReason,
      ...(t.toolCalls ? { toolCalls: t.toolCalls as object[] } : {}),
      ...(step.payload ? { payload: step.payload as object } : {}),
    },
  });
}
