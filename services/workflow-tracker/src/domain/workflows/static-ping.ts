import { DomainError, TRACKER_ID } from '@pingback/contracts';
import type { TrackerDeps } from '../../tracker-deps';
import type { StepTelemetry } from '../costs/step-telemetry';
import { acceptStage } from './accept-stage';
import { endInstance, lockWorkflow, logFailedPing, recordUnreachedStages, type InstanceStatus } from './instance-store';
import { noRunRefusal, pingTarget } from './ping-target';
import { InstanceEndedMeanwhile, withPingRetries } from './ping-retry';
import { decideStaticPing, outOfOrder, payloadSaysFailed } from './stage-rules';
import { alertStageMissed } from './workflow-alerts';
import { invalidField, mustOwn } from '../domain-errors';
import { modeOf, stageNames, wasReached } from './workflow-records';

export interface StaticPingRequest {
  accountId: string;
  workflowId: string;
  stage: number;
  agent: string | null;
  /** The ping's JSON body without its cost fields, kept as the stage's payload. */
  payload: Record<string, unknown> | null;
  telemetry: StepTelemetry;
  /** The run the ping names (a fork or re-run); null: the workflow's current run. */
  instanceId: string | null;
}

export interface StaticPingAnswer {
  workflowId: string;
  instanceId: string;
  stage: number;
  status: InstanceStatus;
}

/** What a ping's transaction leaves to do after it commits: answer, or refuse with what it recorded. */
type Settled<T> = { answer: T; refusal?: undefined; alerted: boolean } | { answer?: undefined; refusal: DomainError; alerted: boolean };

/**
 * `GET|POST /shk/{workflow_id}?stage=N`: a stage of a static workflow (see decideStaticPing for the rules). A
 * strict-mode refusal is recorded (failed ping, failed run, alert) in the same transaction and thrown after it
 * commits, so the caller gets its 400 or 409 and the record stays.
 */
export async function pingStaticStage(deps: TrackerDeps, request: StaticPingRequest): Promise<StaticPingAnswer> {
  if (!TRACKER_ID.test(request.workflowId)) throw new DomainError('not_found', 'workflow not found');
  const settled = await withPingRetries(() =>
    deps.db.$transaction(async (tx): Promise<Settled<StaticPingAnswer>> => {
      const workflow = mustOwn(await lockWorkflow(tx, request.workflowId), request.accountId, 'workflow');
      // Read once the lock is held: a run's steps are in the order of their times.
      const at = deps.now();
      if (workflow.kind !== 'static') throw invalidField('workflow_id', `is a dynamic workflow: ping it at /dhk/${workflow.id}`);
      const names = stageNames(workflow);
      if (request.stage > names.length) throw invalidField('stage', `must be a stage of this workflow: 1 to ${names.length}`);
      const mode = modeOf(workflow);
      if (mode === 'strict' && !request.agent) throw invalidField('agent', 'is required in strict mode');

      const stage = String(request.stage);
      const refused = (error: DomainError, instanceId: string | null) =>
        logFailedPing(tx, workflow, { instanceId, stage, agent: request.agent, error: error.code, detail: { message: error.message, ...error.details }, at });
      const target = await pingTarget(tx, workflow, request.instanceId);
      if (target.kind === 'refused') {
        await refused(target.error, target.instanceId);
        return { refusal: target.error, alerted: false };
      }
      const { running, attached } = target;
      const decision = decideStaticPing({ mode, stageCount: names.length, stage: request.stage, running: running ? running.stages.filter(wasReached).map((s) => Number(s.path)) : null, attached });

      switch (decision.kind) {
        case 'start':
        case 'record': {
          const arrival = { path: stage, stageName: names[request.stage - 1] || null, agent: request.agent, payload: request.payload, failed: payloadSaysFailed(request.payload ?? undefined), telemetry: request.telemetry, at };
          const into = decision.kind === 'start' ? { start: true as const, running } : { start: false as const, running: running! };
          const accepted = await acceptStage(tx, deps, workflow, into, arrival, decision.completes);
          return { answer: { workflowId: workflow.id, instanceId: accepted.instanceId, stage: request.stage, status: accepted.status }, alerted: accepted.alerted };
        }
        case 'missed': {
          const instanceId = running!.id;
          const reason = `${decision.missing.length === 1 ? 'Stage' : 'Stages'} ${decision.missing.join(', ')} missed`;
          if (!(await endInstance(tx, instanceId, { status: 'failed', reason, at }))) throw new InstanceEndedMeanwhile();
          // The history shows where the run stopped: each skipped stage, `missed` (the refused ping's own stage is not recorded).
          const skipped = decision.missing.map((missed) => ({ path: String(missed), stageName: names[missed - 1] || null }));
          await recordUnreachedStages(tx, instanceId, skipped, 'missed', at);
          const error = new DomainError('stage_missed', `stage ${stage} arrived before ${decision.missing.length === 1 ? 'stage' : 'stages'} ${decision.missing.join(', ')}`, {
            workflow_id: workflow.id,
            instance_id: instanceId,
            stage_order: request.stage,
            missing_stages: decision.missing,
          });
          await refused(error, instanceId);
          await alertStageMissed(tx, deps.alerts, workflow, { instanceId, stage: request.stage, missing: decision.missing, at });
          return { refusal: error, alerted: true };
        }
        case 'out_of_order': {
          const error = new DomainError('out_of_order', outOfOrder(stage, decision.last, 'stage'), {
            workflow_id: workflow.id,
            instance_id: running!.id,
            stage_order: request.stage,
            last_stage: Number(decision.last),
          });
          await refused(error, running!.id);
          return { refusal: error, alerted: false };
        }
        case 'no_running_instance': {
          const error = await noRunRefusal(
            tx,
            workflow,
            new DomainError('no_running_instance', `workflow ${workflow.id} has no running instance: stage 1 starts one`, { workflow_id: workflow.id, stage_order: request.stage }),
          );
          await refused(error, null);
          return { refusal: error, alerted: false };
        }
      }
    }),
  );
  if (settled.alerted) deps.kickOutbox();
  if (settled.refusal) throw settled.refusal;
  return settled.answer;
}
