import { randomUUID } from 'node:crypto';
import { newId } from '@pingback/security';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { invalidField, mustOwn } from '../domain-errors';
import { lockWorkflow, startClocks } from '../workflows/instance-store';
import { findOwnedInstance } from './owned-instance';
import { announceReplay } from './replay-events';
import { checkReplayLimit } from './replay-limits';

/** Payload changes by stage path: each key given replaces that key of the stage's payload. */
export type PayloadModifications = Record<string, Record<string, unknown>>;

export interface Forked {
  instanceId: string;
  sessionId: string;
  forkFromStage: string;
  stagesCopied: number;
}

/**
 * `POST /api/instances/{id}/fork`: a new running instance of the same workflow whose timeline starts with copies of
 * the source's steps up to its (last) step at `forkFromStage`, each stage's payload changed by its modifications;
 * the source is not touched. The copies keep their cost for the timeline, but the fork's own spending (budget,
 * workflow cost) starts at zero: that money was spent once. The runner hears of it at the workflow's events_url
 * and sends the fork's next stages with its `instance_id`.
 */
export async function forkInstance(deps: TrackerDeps, accountId: string, instanceId: string, request: { forkFromStage: string; modifications: PayloadModifications }): Promise<Forked> {
  const source = await findOwnedInstance(deps.db, accountId, instanceId);
  const forked = await deps.db.$transaction(async (tx) => {
    const workflow = mustOwn(await lockWorkflow(tx, source.workflowId), accountId, 'workflow');
    await checkReplayLimit(tx, workflow.id);
    const steps = await tx.instanceStep.findMany({ where: { instanceId }, orderBy: { step: 'asc' } });
    const forkPoint = steps.findLastIndex((step) => step.path === request.forkFromStage);
    if (forkPoint < 0) throw invalidField('fork_from_stage', `instance ${instanceId} has no step at stage ${request.forkFromStage}`);
    const copied = steps.slice(0, forkPoint + 1).map((step) => ({ ...step, payload: modified(step.payload, request.modifications[step.path]) as CopiedStep['payload'] }));

    const at = deps.now();
    const fork = { instanceId: newId('wfi_'), sessionId: randomUUID(), forkFromStage: request.forkFromStage, stagesCopied: copied.length };
    await tx.workflowInstance.create({
      data: {
        id: fork.instanceId,
        workflowId: workflow.id,
        accountId,
        status: 'running',
        origin: 'fork',
        sourceInstanceId: source.id,
        forkFromStage: request.forkFromStage,
        payloadModifications: request.modifications as object,
        sessionId: fork.sessionId,
        agentCode: source.agentCode,
        startedAt: at,
        lastStageAt: at,
      },
    });
    await copySteps(tx, fork.instanceId, source.id, copied);
    await startClocks(tx, workflow, fork.instanceId);
    await announceReplay(tx, workflow, {
      type: 'instance.forked',
      instanceId: fork.instanceId,
      at,
      fields: { source_instance_id: source.id, session_id: fork.sessionId, fork_from_stage: fork.forkFromStage, stages_copied: fork.stagesCopied, payload_modifications: request.modifications },
    });
    return fork;
  });
  deps.kickOutbox();
  return forked;
}

type CopiedStep = Awaited<ReturnType<TrackerTx['instanceStep']['findMany']>>[number];

/** The steps into the fork (same numbers, same costs), and each stage's latest step as its stage row (the tree and history). */
async function copySteps(tx: TrackerTx, forkId: string, sourceId: string, steps: readonly CopiedStep[]): Promise<void> {
  if (steps.length === 0) return;
  await tx.instanceStep.createMany({
    data: steps.map(({ instanceId: _source, payload, toolCalls, copiedFrom, ...step }) => ({
      ...step,
      instanceId: forkId,
      // The money was spent by the run whose ping made the step (a fork of a fork names the first).
      copiedFrom: copiedFrom ?? sourceId,
      ...(payload !== null ? { payload: payload as object } : {}),
      ...(toolCalls !== null ? { toolCalls: toolCalls as object } : {}),
    })),
  });
  const latest = new Map(steps.map((step) => [step.path, step]));
  await tx.stageExecution.createMany({
    data: [...latest.values()].map((step) => ({
      instanceId: forkId,
      path: step.path,
      status: step.status,
      stageName: step.stageName,
      agentCode: step.agentCode,
      ...(step.payload !== null ? { payload: step.payload as object } : {}),
      executedAt: step.executedAt,
    })),
  });
}

/** A copied stage's payload with its modifications: each key given replaces the payload's (a shallow merge). */
function modified(payload: unknown, modifications: Record<string, unknown> | undefined): unknown {
  if (!modifications) return payload;
  const base = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  return { ...base, ...modifications };
}
