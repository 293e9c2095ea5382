import { randomUUID } from 'node:crypto';
import { newId } from '@pingback/security';
import type { TrackerDeps } from '../../tracker-deps';
import { mustOwn } from '../domain-errors';
import { lockWorkflow, startClocks } from '../workflows/instance-store';
import type { PayloadModifications } from './fork-instance';
import { findOwnedInstance } from './owned-instance';
import { announceReplay } from './replay-events';
import { checkReplayLimit } from './replay-limits';

export interface Rerun {
  instanceId: string;
  sessionId: string;
}

/**
 * `POST /api/instances/{id}/rerun`: a new, empty running instance of the same workflow, for the runner to execute
 * from the beginning with the payload modifications (kept on the instance and told to the workflow's events_url);
 * its pings carry its `instance_id`.
 */
export async function rerunInstance(deps: TrackerDeps, accountId: string, instanceId: string, modifications: PayloadModifications): Promise<Rerun> {
  const source = await findOwnedInstance(deps.db, accountId, instanceId);
  const rerun = await deps.db.$transaction(async (tx) => {
    const workflow = mustOwn(await lockWorkflow(tx, source.workflowId), accountId, 'workflow');
    await checkReplayLimit(tx, workflow.id);
    const at = deps.now();
    const made = { instanceId: newId('wfi_'), sessionId: randomUUID() };
    await tx.workflowInstance.create({
      data: {
        id: made.instanceId,
        workflowId: workflow.id,
        accountId,
        status: 'running',
        origin: 'rerun',
        sourceInstanceId: source.id,
        payloadModifications: modifications as object,
        sessionId: made.sessionId,
        agentCode: source.agentCode,
        startedAt: at,
        lastStageAt: at,
      },
    });
    await startClocks(tx, workflow, made.instanceId);
    await announceReplay(tx, workflow, {
      type: 'instance.rerun_requested',
      instanceId: made.instanceId,
      at,
      fields: { source_instance_id: source.id, session_id: made.sessionId, payload_modifications: modifications },
    });
    return made;
  });
  deps.kickOutbox();
  return rerun;
}
