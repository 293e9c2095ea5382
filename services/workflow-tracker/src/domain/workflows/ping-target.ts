import { DomainError } from '@pingback/contracts';
import type { TrackerTx } from '../../data/prisma';
import { runningInstance } from './instance-store';
import type { InstanceWithStages, WorkflowRecord } from './workflow-records';

/**
 * The run a stage ping goes to: the one it names (`instance_id`, a fork or re-run), or the workflow's current run
 * (null when none runs); or why the ping is refused (a paused or ended run), which the ping records as a failed
 * ping before it answers 409.
 */
export type PingTarget =
  | { kind: 'run'; running: InstanceWithStages | null; attached: boolean }
  | { kind: 'refused'; error: DomainError; instanceId: string };

export async function pingTarget(tx: TrackerTx, workflow: WorkflowRecord, instanceId: string | null): Promise<PingTarget> {
  if (instanceId === null) {
    const current = await runningInstance(tx, workflow.id);
    if (current?.status === 'paused') return { kind: 'refused', error: pausedError(workflow, current.id), instanceId: current.id };
    return { kind: 'run', running: current, attached: false };
  }
  const named = await tx.workflowInstance.findUnique({ where: { id: instanceId }, include: { stages: { omit: { payload: true } } } });
  if (!named || named.workflowId !== workflow.id) throw new DomainError('not_found', `instance ${instanceId} not found in workflow ${workflow.id}`);
  if (named.status === 'running') return { kind: 'run', running: named, attached: true };
  return { kind: 'refused', error: endedError(workflow, named), instanceId };
}

/**
 * A ping that needs a run when none is current: 409 instance_terminated when the workflow's latest run was ended by
 * its budget (so a runaway agent hears why), `fallback` (no_running_instance) otherwise.
 */
export async function noRunRefusal(tx: TrackerTx, workflow: WorkflowRecord, fallback: DomainError): Promise<DomainError> {
  const latest = await tx.workflowInstance.findFirst({ where: { workflowId: workflow.id, origin: 'ping' }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
  return latest?.status === 'terminated' ? endedError(workflow, latest) : fallback;
}

function pausedError(workflow: WorkflowRecord, instanceId: string): DomainError {
  return new DomainError('instance_paused', `instance ${instanceId} is paused by its budget: POST /api/instances/${instanceId}/resume lets it go on`, {
    workflow_id: workflow.id,
    instance_id: instanceId,
  });
}

function endedError(workflow: WorkflowRecord, instance: { id: string; status: string; failureReason: string | null }): DomainError {
  if (instance.status === 'paused') return pausedError(workflow, instance.id);
  if (instance.status === 'terminated') {
    return new DomainError('instance_terminated', `instance ${instance.id} was terminated: ${instance.failureReason ?? 'by its budget'}`, {
      workflow_id: workflow.id,
      instance_id: instance.id,
    });
  }
  return new DomainError('no_running_instance', `instance ${instance.id} has ended (${instance.status})`, { workflow_id: workflow.id, instance_id: instance.id, status: instance.status });
}
