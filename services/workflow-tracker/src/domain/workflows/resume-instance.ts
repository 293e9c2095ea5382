import { DomainError } from '@pingback/contracts';
import type { TrackerDeps } from '../../tracker-deps';
import { resolveStoppingAlerts } from '../costs/cost-alerts';
import { mustOwn } from '../domain-errors';
import { findOwnedInstance } from '../replay/owned-instance';
import { resumeInstance } from './instance-control';
import { lockWorkflow } from './instance-store';

/**
 * `POST /api/instances/{id}/resume`: a run its budget paused goes on (its pings are accepted again, its clocks start
 * again) and its pause alerts are resolved. A run paused for an approval may be resumed this way too: its approval,
 * when decided later, then changes nothing. Anything not paused is 409 instance_not_paused.
 */
export async function resumeByApi(deps: TrackerDeps, accountId: string, instanceId: string): Promise<void> {
  const instance = await findOwnedInstance(deps.db, accountId, instanceId);
  await deps.db.$transaction(async (tx) => {
    const workflow = mustOwn(await lockWorkflow(tx, instance.workflowId), accountId, 'workflow');
    if (!(await resumeInstance(tx, workflow, instanceId))) {
      const now = await tx.workflowInstance.findUniqueOrThrow({ where: { id: instanceId }, select: { status: true } });
      throw new DomainError('instance_not_paused', `instance ${instanceId} is ${now.status}, not paused`, { instance_id: instanceId, status: now.status });
    }
    await resolveStoppingAlerts(tx, instanceId, deps.now());
  });
}
