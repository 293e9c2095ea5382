import { randomUUID } from 'node:crypto';
import { newId } from '@pingback/security';
import { TRACKER_SCHEMA, type TrackerTx } from '../../data/prisma';
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
    const last = await tx.instanceStep.findFirst({ where: { instanceId, path: request.forkFromStage }, orderBy: { step: 'desc' }, select: { step: true } });
    if (!last) throw invalidField('fork_from_stage', `instance ${instanceId} has no step at stage ${request.forkFromStage}`);

    const at = deps.now();
    // Steps are numbered from 0 without gaps: the fork point's number + 1 steps are copied.
    const fork = { instanceId: newId('wfi_'), sessionId: randomUUID(), forkFromStage: request.forkFromStage, stagesCopied: last.step + 1 };
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
    await copySteps(tx, { forkId: fork.instanceId, sourceId: source.id, throughStep: last.step, modifications: request.modifications });
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

const STEPS = `"${TRACKER_SCHEMA}"."instance_steps"`;
const STEP_COLUMNS = `step, workflow_id, path, status, stage_name, agent_code, executed_at, response_time_ms, model_id, input_tokens, output_tokens,
  total_tokens, cost_micros, unpriced, cumulative_cost_micros, context_size_bytes, handoff_reason, tool_calls, payload`;

/**
 * Copies the source's steps through `throughStep` into the fork (same numbers, same costs) inside the database, so
 * a run of large payloads never passes through this process; then applies the modifications to the copied steps
 * of the stages they name, and writes each stage's latest step as its stage row (the tree and history).
 */
async function copySteps(tx: TrackerTx, copy: { forkId: string; sourceId: string; throughStep: number; modifications: PayloadModifications }): Promise<void> {
  // The money was spent by the run whose ping made the step (a fork of a fork names the first).
  await tx.$executeRawUnsafe(
    `INSERT INTO ${STEPS} (instance_id, copied_from, ${STEP_COLUMNS})
     SELECT $1, COALESCE(copied_from, $2), ${STEP_COLUMNS} FROM ${STEPS} WHERE instance_id = $2 AND step <= $3`,
    copy.forkId,
    copy.sourceId,
    copy.throughStep,
  );
  const modifiedPaths = Object.keys(copy.modifications);
  if (modifiedPaths.length > 0) {
    const changing = await tx.instanceStep.findMany({ where: { instanceId: copy.forkId, path: { in: modifiedPaths } }, select: { step: true, path: true, payload: true } });
    for (const step of changing) {
      const payload = modified(step.payload, copy.modifications[step.path]) as object;
      await tx.instanceStep.update({ where: { instanceId_step: { instanceId: copy.forkId, step: step.step } }, data: { payload } });
    }
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "${TRACKER_SCHEMA}"."stage_executions" (instance_id, path, status, stage_name, agent_code, payload, executed_at)
     SELECT DISTINCT ON (path) instance_id, path, status, stage_name, agent_code, payload::jsonb, executed_at FROM ${STEPS}
      WHERE instance_id = $1 ORDER BY path, step DESC`,
    copy.forkId,
  );
}

/** A copied stage's payload with its modifications: each key given replaces the payload's (a shallow merge). */
function modified(payload: unknown, modifications: Record<string, unknown> | undefined): unknown {
  if (!modifications) return payload;
  const base = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  return { ...base, ...modifications };
}
