import { DomainError, TRACKER_ID } from '@pingback/contracts';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import type { StepTelemetry } from '../costs/step-telemetry';
import { acceptStage } from './accept-stage';
import { lockWorkflow, logFailedPing, type InstanceStatus } from './instance-store';
import { noRunRefusal, pingTarget } from './ping-target';
import { withPingRetries } from './ping-retry';
import { decideDynamicPing, outOfOrder, payloadSaysFailed } from './stage-rules';
import { invalidField, mustOwn } from '../domain-errors';
import { modeOf, wasReached, type WorkflowRecord } from './workflow-records';

/** Distinct stage paths a dynamic workflow may learn: the tree lists them all. */
export const MAX_KNOWN_PATHS = 1_000;

export interface DynamicPingRequest {
  accountId: string;
  workflowId: string;
  /** Already checked by parseStagePath. */
  path: string;
  start: boolean;
  final: boolean;
  stageName: string | null;
  agent: string | null;
  /** The ping's JSON body without its cost fields, kept as the stage's payload. */
  payload: Record<string, unknown> | null;
  telemetry: StepTelemetry;
  /** The run the ping names (a fork or re-run); null: the workflow's current run. */
  instanceId: string | null;
}

export interface DynamicPingAnswer {
  workflowId: string;
  instanceId: string;
  path: string;
  status: InstanceStatus;
}

type Settled = { answer: DynamicPingAnswer; refusal?: undefined; alerted: boolean } | { answer?: undefined; refusal: DomainError; alerted: boolean };

/**
 * `GET|POST /dhk/{workflow_id}?stagePath=P`: a stage of a dynamic workflow (see decideDynamicPing). `start=yes`
 * on an id nobody uses creates the workflow for the caller (dynamic, flexible, named after its id). Every path
 * accepted is remembered with its last label, so later runs' trees show it pending until reached.
 */
export async function pingDynamicStage(deps: TrackerDeps, request: DynamicPingRequest): Promise<DynamicPingAnswer> {
  if (!TRACKER_ID.test(request.workflowId)) {
    throw request.start ? invalidField('workflow_id', 'must be 1 to 64 letters, digits, _ or -') : new DomainError('not_found', 'workflow not found');
  }
  const settled = await withPingRetries(() =>
    deps.db.$transaction(async (tx): Promise<Settled> => {
      const workflow = mustOwn(await lockOrCreate(tx, request), request.accountId, 'workflow');
      // Read once the lock is held: a run's steps are in the order of their times.
      const at = deps.now();
      if (workflow.kind !== 'dynamic') throw invalidField('workflow_id', `is a static workflow: ping it at /shk/${workflow.id}?stage=N`);
      const mode = modeOf(workflow);
      if (mode === 'strict' && !request.agent) throw invalidField('agent', 'is required in strict mode');

      const refused = (error: DomainError, instanceId: string | null) =>
        logFailedPing(tx, workflow, { instanceId, stage: request.path, agent: request.agent, error: error.code, detail: { message: error.message, ...error.details }, at });
      const target = await pingTarget(tx, workflow, request.instanceId);
      if (target.kind === 'refused') {
        await refused(target.error, target.instanceId);
        return { refusal: target.error, alerted: false };
      }
      const { running, attached } = target;
      const reached = running ? running.stages.filter(wasReached).map((s) => s.path) : null;
      const decision = decideDynamicPing({ mode, path: request.path, start: request.start, final: request.final, running: reached, attached });

      switch (decision.kind) {
        case 'start':
        case 'record': {
          await rememberPath(tx, workflow, request);
          const arrival = { path: request.path, stageName: request.stageName, agent: request.agent, payload: request.payload, failed: payloadSaysFailed(request.payload ?? undefined), telemetry: request.telemetry, at };
          const into = decision.kind === 'start' ? { start: true as const, running } : { start: false as const, running: running! };
          const accepted = await acceptStage(tx, deps, workflow, into, arrival, decision.completes);
          return { answer: { workflowId: workflow.id, instanceId: accepted.instanceId, path: request.path, status: accepted.status }, alerted: accepted.alerted };
        }
        case 'out_of_order': {
          const error = new DomainError('out_of_order', outOfOrder(request.path, decision.last, 'path'), {
            workflow_id: workflow.id,
            instance_id: running!.id,
            stage_path: request.path,
            last_stage_path: decision.last,
          });
          await refused(error, running!.id);
          return { refusal: error, alerted: false };
        }
        case 'no_running_instance': {
          const error = await noRunRefusal(
            tx,
            workflow,
            new DomainError('no_running_instance', `workflow ${workflow.id} has no running instance: start one with start=yes`, { workflow_id: workflow.id, stage_path: request.path }),
          );
          await refused(error, null);
          return { refusal: error, alerted: false };
        }
        case 'missed':
          // Dynamic runs have no list of stages to miss one of.
          throw new Error('a dynamic ping cannot miss a stage');
      }
    }),
  );
  if (settled.alerted) deps.kickOutbox();
  if (settled.refusal) throw settled.refusal;
  return settled.answer;
}

/** The workflow, locked; with `start=yes` an id nobody uses becomes the caller's new dynamic workflow. */
async function lockOrCreate(tx: TrackerTx, request: DynamicPingRequest): Promise<WorkflowRecord | null> {
  const found = await lockWorkflow(tx, request.workflowId);
  if (found || !request.start) return found;
  // Two first pings at once: the second insert waits on the first, then fails on the key and is run again.
  return tx.workflow.create({
    data: { id: request.workflowId, accountId: request.accountId, kind: 'dynamic', name: request.workflowId, validationMode: 'flexible', stages: [], alertChannels: [] },
  });
}

async function rememberPath(tx: TrackerTx, workflow: WorkflowRecord, request: DynamicPingRequest): Promise<void> {
  const key = { workflowId_path: { workflowId: workflow.id, path: request.path } };
  if (await tx.dynamicStage.findUnique({ where: key })) {
    if (request.stageName) await tx.dynamicStage.update({ where: key, data: { stageName: request.stageName } });
    return;
  }
  if ((await tx.dynamicStage.count({ where: { workflowId: workflow.id } })) >= MAX_KNOWN_PATHS) {
    throw invalidField('stagePath', `this workflow already has ${MAX_KNOWN_PATHS} stage paths, the most it may have`);
  }
  await tx.dynamicStage.create({ data: { workflowId: workflow.id, path: request.path, stageName: request.stageName } });
}
