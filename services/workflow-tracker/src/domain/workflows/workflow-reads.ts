import { DomainError, TRACKER_ID } from '@pingback/contracts';
import type { TrackerDeps } from '../../tracker-deps';
import { CURRENT_RUN } from './instance-store';
import { compareStagePathTexts, sortStagePaths } from './stage-path';
import { mustOwn } from '../domain-errors';
import { stageNames, type InstanceWithStages, type StageRecord, type StoredStageStatus, type WorkflowRecord } from './workflow-records';
import { findOwnedWorkflow } from './workflows';

/** How many finished runs the instance history shows (the seed: "the last 10 workflow instances"). */
export const RECENT_INSTANCES = 10;

export interface StageStatus {
  path: string;
  /** A stored status (see StoredStageStatus), or `pending` in the tree for a stage the run has no row for. */
  status: StoredStageStatus | 'pending';
  stageName: string | null;
  agentCode: string | null;
  /** The stage ping's JSON body, or null: read only for one instance (`GET /api/instances/{id}`). */
  payload: unknown;
}

export interface InstanceSummary {
  id: string;
  workflowId: string;
  status: string;
  startedAt: Date;
  completedAt: Date | null;
  agentCode: string | null;
  failureReason: string | null;
  /** ping (a start ping began it), fork or rerun; with the instance it was made from. */
  origin: string;
  sourceInstanceId: string | null;
  /** What its own pings cost, in micro-dollars. */
  costMicros: bigint;
  /** The stages the run reached, and those it failed without (missed, timeout), in stage order. */
  stages: StageStatus[];
}

/** Stage labels by path: a static workflow's own, or the last label each dynamic path was pinged with. */
async function knownStageNames(deps: TrackerDeps, workflow: WorkflowRecord): Promise<Map<string, string | null>> {
  if (workflow.kind === 'static') return new Map(stageNames(workflow).map((name, i) => [String(i + 1), name || null]));
  const known = await deps.db.dynamicStage.findMany({ where: { workflowId: workflow.id } });
  return new Map(known.map((stage) => [stage.path, stage.stageName]));
}

const STORED: ReadonlySet<string> = new Set<StoredStageStatus>(['healthy', 'failed', 'missed', 'timeout']);

/** A row's status as stored; anything else (never written) shows as failed, never as healthy. */
const shownStatus = (stored: string): StoredStageStatus => (STORED.has(stored) ? (stored as StoredStageStatus) : 'failed');

const stageStatus = (stage: StageRecord, names: Map<string, string | null>): StageStatus => ({
  path: stage.path,
  status: shownStatus(stage.status),
  stageName: stage.stageName ?? names.get(stage.path) ?? null,
  agentCode: stage.agentCode,
  payload: stage.payload ?? null,
});

/** Stage rows without their payloads (up to 1 MiB each): the tree and the instance history do not show them. */
const STAGES_WITHOUT_PAYLOAD = { stages: { omit: { payload: true } } } as const;

function summary(instance: InstanceWithStages, names: Map<string, string | null>): InstanceSummary {
  return {
    id: instance.id,
    workflowId: instance.workflowId,
    status: instance.status,
    startedAt: instance.startedAt,
    completedAt: instance.completedAt,
    agentCode: instance.agentCode,
    failureReason: instance.failureReason,
    origin: instance.origin,
    sourceInstanceId: instance.sourceInstanceId,
    costMicros: instance.costMicros,
    stages: [...instance.stages].sort((a, b) => compareStagePathTexts(a.path, b.path)).map((stage) => stageStatus(stage, names)),
  };
}

/**
 * `GET /dhk/{id}/tree`: every stage the workflow knows (a static one's stages; every path a dynamic one has seen
 * in any run), in stage order, as the running run has it, or the latest run when none runs: reached stages
 * healthy or failed, those the run failed without missed or timeout, the others pending.
 */
export async function workflowTree(deps: TrackerDeps, accountId: string, workflowId: string): Promise<StageStatus[]> {
  const workflow = await findOwnedWorkflow(deps, accountId, workflowId);
  const instance =
    (await deps.db.workflowInstance.findFirst({ where: { workflowId, ...CURRENT_RUN }, include: STAGES_WITHOUT_PAYLOAD })) ??
    (await deps.db.workflowInstance.findFirst({ where: { workflowId }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], include: STAGES_WITHOUT_PAYLOAD }));
  const names = await knownStageNames(deps, workflow);
  const rows = new Map((instance?.stages ?? []).map((stage) => [stage.path, stage]));
  return sortStagePaths(new Set([...names.keys(), ...rows.keys()])).map((path) => {
    const stage = rows.get(path);
    if (stage) return stageStatus(stage, names);
    return { path, status: 'pending', stageName: names.get(path) ?? null, agentCode: null, payload: null };
  });
}

/**
 * `GET /api/workflows/{id}/instances`: the current run (running, or paused by its budget) and the last other ones
 * (finished runs, and forks and re-runs), newest first.
 */
export async function workflowInstances(deps: TrackerDeps, accountId: string, workflowId: string): Promise<{ running: InstanceSummary | null; recent: InstanceSummary[] }> {
  const workflow = await findOwnedWorkflow(deps, accountId, workflowId);
  const [running, recent, names] = await Promise.all([
    deps.db.workflowInstance.findFirst({ where: { workflowId, ...CURRENT_RUN }, include: STAGES_WITHOUT_PAYLOAD }),
    deps.db.workflowInstance.findMany({
      where: { workflowId, NOT: CURRENT_RUN },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: RECENT_INSTANCES,
      include: STAGES_WITHOUT_PAYLOAD,
    }),
    knownStageNames(deps, workflow),
  ]);
  return { running: running ? summary(running, names) : null, recent: recent.map((instance) => summary(instance, names)) };
}

/** `GET /api/instances/{id}`: one run, its stages with their payloads. */
export async function instanceById(deps: TrackerDeps, accountId: string, instanceId: string): Promise<InstanceSummary> {
  if (!TRACKER_ID.test(instanceId)) throw new DomainError('not_found', 'instance not found');
  const instance = mustOwn(await deps.db.workflowInstance.findUnique({ where: { id: instanceId }, include: { stages: true, workflow: true } }), accountId, 'instance');
  return summary(instance, await knownStageNames(deps, instance.workflow));
}

export interface FailedPingRecord {
  id: string;
  workflowId: string;
  instanceId: string | null;
  stage: string;
  agentCode: string | null;
  error: string;
  detail: unknown;
  receivedAt: Date;
}

/** `GET /api/workflows/{id}/failed-pings`: refused stage pings, newest first, a page at a time. */
export async function failedPings(deps: TrackerDeps, accountId: string, workflowId: string, page: { limit: number; cursor?: string | undefined }): Promise<FailedPingRecord[]> {
  await findOwnedWorkflow(deps, accountId, workflowId);
  return deps.db.failedPing.findMany({
    where: { workflowId, ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: page.limit + 1,
  });
}

/** `GET /api/workflows`: the account's workflows by id, a page at a time. */
export function listWorkflows(deps: TrackerDeps, accountId: string, page: { limit: number; cursor?: string | undefined }): Promise<WorkflowRecord[]> {
  return deps.db.workflow.findMany({
    where: { accountId, ...(page.cursor ? { id: { gt: page.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
  });
}
