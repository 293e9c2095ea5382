import type { ApprovalDecided } from '@pingback/contracts';
import type { TrackerDeps } from '../../tracker-deps';
import { pausedByApproval, resumeInstance, terminateInstance } from '../workflows/instance-control';
import { lockWorkflow } from '../workflows/instance-store';
import { resolveStoppingAlerts } from './cost-alerts';

/**
 * A budget approval was decided (approval-service's `approval.decided`): approved, the paused run goes on; denied
 * or timed out, it is terminated. Only while the run is still paused by that approval: a run resumed by API
 * meanwhile, or paused again by a later crossing, is left as it is. A redelivery finds nothing left to do.
 */
export async function settleBudgetApproval(deps: Pick<TrackerDeps, 'db' | 'now'>, decided: ApprovalDecided['payload']): Promise<void> {
  const { subject } = decided;
  const found = await deps.db.workflowInstance.findUnique({ where: { id: subject.id }, select: { workflowId: true, accountId: true } });
  if (!found || found.accountId !== decided.accountId) return;
  const pausedBy = pausedByApproval(subject.ref);
  await deps.db.$transaction(async (tx) => {
    const workflow = await lockWorkflow(tx, found.workflowId);
    if (!workflow) return;
    const at = deps.now();
    if (decided.result === 1) {
      if (await resumeInstance(tx, workflow, subject.id, pausedBy)) await resolveStoppingAlerts(tx, subject.id, at);
      return;
    }
    const run = await tx.workflowInstance.findUnique({ where: { id: subject.id }, select: { status: true, pausedBy: true } });
    if (run?.status !== 'paused' || run.pausedBy !== pausedBy) return;
    const why = decided.status === 'expired' ? 'its budget approval timed out' : `its budget approval was denied by ${decided.decidedBy ?? 'a reviewer'}`;
    await terminateInstance(tx, subject.id, `Terminated: ${why} (${decided.approvalId})`, at);
    await resolveStoppingAlerts(tx, subject.id, at);
  });
}
