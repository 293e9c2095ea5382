import type { ValidationMode } from './stage-rules';

// The rows this area reads, as plain shapes (the generated client's own types stay in the data and HTTP layers).

export type WorkflowKind = 'static' | 'dynamic';

export interface WorkflowRecord {
  id: string;
  accountId: string;
  kind: string;
  name: string;
  validationMode: string;
  stages: unknown;
  stageTimeoutMs: number | null;
  gracePeriodMs: number | null;
  alertChannels: string[];
  /** Where replay events go (`instance.forked`, `instance.rerun_requested`), when set. */
  eventsUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StageRecord {
  path: string;
  /** A StoredStageStatus. */
  status: string;
  stageName: string | null;
  agentCode: string | null;
  /** The ping's JSON body; only where a read asked for it (it may be up to 1 MiB a stage). */
  payload?: unknown;
  executedAt: Date;
}

/**
 * What a stage's row in a run says (stage_executions.status):
 * - `healthy`: its ping came in;
 * - `failed`: its ping came in, and its body reported a failure (`"status": "failure"`);
 * - `missed`: it never came, and the run failed for it: strict mode saw a later stage first, or flexible mode's
 *   grace period ended without it;
 * - `timeout`: it never came, and the run failed when the stage time-out passed waiting for it (static workflows:
 *   the next expected stage; a dynamic run's next path is unknown, so it gets no row).
 * `missed` and `timeout` rows are written only in the transaction that fails their run, so a running run never
 * has one, and they never count as a stage the run reached.
 */
export type StoredStageStatus = 'healthy' | 'failed' | 'missed' | 'timeout';

/** A stage whose ping came in (healthy or failed), not one recorded as missing when its run failed. */
export const wasReached = (stage: Pick<StageRecord, 'status'>): boolean => stage.status === 'healthy' || stage.status === 'failed';

export interface InstanceRecord {
  id: string;
  workflowId: string;
  accountId: string;
  status: string;
  agentCode: string | null;
  failureReason: string | null;
  startedAt: Date;
  completedAt: Date | null;
  lastStageAt: Date;
  /** ping | fork | rerun */
  origin: string;
  sourceInstanceId: string | null;
  /** What its own pings cost, in micro-dollars. */
  costMicros: bigint;
}

export type InstanceWithStages = InstanceRecord & { stages: StageRecord[] };

/** A static workflow's stages in order ([{ name }]); a dynamic one has none of its own. */
export function stageNames(workflow: Pick<WorkflowRecord, 'stages'>): string[] {
  const stages = Array.isArray(workflow.stages) ? (workflow.stages as unknown[]) : [];
  return stages.map((stage) => (stage && typeof stage === 'object' && typeof (stage as { name?: unknown }).name === 'string' ? (stage as { name: string }).name : ''));
}

export const modeOf = (workflow: Pick<WorkflowRecord, 'validationMode'>): ValidationMode => (workflow.validationMode === 'strict' ? 'strict' : 'flexible');

