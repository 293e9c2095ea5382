import { DomainError, TRACKER_ID } from '@pingback/contracts';
import { isUniqueViolation } from '@pingback/db';
import { newId } from '@pingback/security';
import type { TrackerDeps } from '../../tracker-deps';
import { checkAlertChannels } from '../alert-channels';
import { checkEventsUrl } from './events-url';
import { cancelClocks, lockWorkflow } from './instance-store';
import type { ValidationMode } from './stage-rules';
import { idTaken, invalidField, mustOwn } from '../domain-errors';
import type { WorkflowKind, WorkflowRecord } from './workflow-records';

export interface NewWorkflow {
  /** Chosen by the owner, or generated (`swf_…` static, `dwf_…` dynamic). */
  id?: string;
  kind: WorkflowKind;
  name: string;
  validationMode: ValidationMode;
  /** A static workflow's stage names in order; a dynamic one has none. */
  stages: string[];
  stageTimeoutMs: number | null;
  gracePeriodMs: number | null;
  alertChannels: string[];
  /** Where replay events go; null: none. */
  eventsUrl: string | null;
}

/** A partial update: what is absent stays; `null` clears a time-out or grace period. */
export interface WorkflowChanges {
  kind?: WorkflowKind;
  name?: string;
  validationMode?: ValidationMode;
  stages?: string[];
  stageTimeoutMs?: number | null;
  gracePeriodMs?: number | null;
  alertChannels?: string[];
  eventsUrl?: string | null;
}

export async function createWorkflow(deps: TrackerDeps, accountId: string, input: NewWorkflow): Promise<WorkflowRecord> {
  const alertChannels = await checkAlertChannels(deps.gateway, accountId, input.alertChannels);
  const eventsUrl = await checkEventsUrl(deps, input.eventsUrl);
  const id = input.id ?? newId(input.kind === 'static' ? 'swf_' : 'dwf_');
  try {
    return await deps.db.workflow.create({
      data: {
        id,
        accountId,
        kind: input.kind,
        name: input.name,
        validationMode: input.validationMode,
        stages: input.stages.map((name) => ({ name })),
        stageTimeoutMs: input.stageTimeoutMs,
        gracePeriodMs: input.gracePeriodMs,
        alertChannels,
        eventsUrl,
      },
    });
  } catch (error) {
    // Ids are global (they are in ping URLs): taken by this account or any other, the answer is the same.
    if (isUniqueViolation(error)) throw idTaken(id);
    throw error;
  }
}

export async function findOwnedWorkflow(deps: TrackerDeps, accountId: string, workflowId: string): Promise<WorkflowRecord> {
  if (!TRACKER_ID.test(workflowId)) throw new DomainError('not_found', 'workflow not found');
  return mustOwn(await deps.db.workflow.findUnique({ where: { id: workflowId } }), accountId, 'workflow');
}

/**
 * Changes what is given. The type cannot change (a static workflow's pings and a dynamic one's differ). New
 * time-outs and grace periods apply from the next stage ping and the next run; a clock already running keeps
 * the time it was given.
 */
export async function updateWorkflow(deps: TrackerDeps, accountId: string, workflowId: string, changes: WorkflowChanges): Promise<WorkflowRecord> {
  if (!TRACKER_ID.test(workflowId)) throw new DomainError('not_found', 'workflow not found');
  // Ownership before the channel check, so a stranger learns nothing about channels from another account's workflow.
  await findOwnedWorkflow(deps, accountId, workflowId);
  const alertChannels = changes.alertChannels === undefined ? undefined : await checkAlertChannels(deps.gateway, accountId, changes.alertChannels);
  const eventsUrl = changes.eventsUrl === undefined ? undefined : await checkEventsUrl(deps, changes.eventsUrl);
  return deps.db.$transaction(async (tx) => {
    const workflow = mustOwn(await lockWorkflow(tx, workflowId), accountId, 'workflow');
    if (changes.kind !== undefined && changes.kind !== workflow.kind) throw invalidField('type', `cannot change: this workflow is ${workflow.kind}`);
    if (changes.stages !== undefined && workflow.kind === 'dynamic') throw invalidField('stages', 'a dynamic workflow learns its stages from its pings');
    return tx.workflow.update({
      where: { id: workflowId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.validationMode !== undefined ? { validationMode: changes.validationMode } : {}),
        ...(changes.stages !== undefined ? { stages: changes.stages.map((name) => ({ name })) } : {}),
        ...(changes.stageTimeoutMs !== undefined ? { stageTimeoutMs: changes.stageTimeoutMs } : {}),
        ...(changes.gracePeriodMs !== undefined ? { gracePeriodMs: changes.gracePeriodMs } : {}),
        ...(alertChannels !== undefined ? { alertChannels } : {}),
        ...(eventsUrl !== undefined ? { eventsUrl } : {}),
      },
    });
  });
}

/** Deletes a workflow with its runs, stages and failed pings, and stops its running clocks. Its alerts stay. */
export async function deleteWorkflow(deps: TrackerDeps, accountId: string, workflowId: string): Promise<void> {
  if (!TRACKER_ID.test(workflowId)) throw new DomainError('not_found', 'workflow not found');
  await deps.db.$transaction(async (tx) => {
    mustOwn(await lockWorkflow(tx, workflowId), accountId, 'workflow');
    const running = await tx.workflowInstance.findMany({ where: { workflowId, status: 'running' }, select: { id: true } });
    for (const { id } of running) await cancelClocks(tx, id);
    await tx.failedPing.deleteMany({ where: { workflowId } });
    await tx.workflow.delete({ where: { id: workflowId } });
  });
}
