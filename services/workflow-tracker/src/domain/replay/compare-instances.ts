import { randomUUID } from 'node:crypto';
import { TRACKER_SCHEMA, type TrackerDb } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { findOwnedInstance } from './owned-instance';

export interface Aggregates {
  steps: number;
  costMicros: bigint;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** The steps' response times added up. */
  timeMs: number;
  unpricedSteps: number;
}

export interface StepSide {
  path: string;
  status: string;
  payload: unknown;
}

export interface Divergence {
  step: number;
  /** What differs: `stage_path`, `status`, `payload`, or `missing` when one instance has no such step. */
  fields: string[];
  a: StepSide | null;
  b: StepSide | null;
}

export interface Comparison {
  sessionId: string;
  a: { id: string; status: string; aggregates: Aggregates };
  b: { id: string; status: string; aggregates: Aggregates };
  divergence: Divergence | null;
}

/**
 * `POST /api/instances/compare`: both timelines side by side (copied steps included: a fork is compared as the run
 * it replays), with the first step whose stage path, status or payload differs, or where one run has a step the
 * other lacks. The session id names this comparison; nothing is stored.
 */
export async function compareInstances(deps: TrackerDeps, accountId: string, idA: string, idB: string): Promise<Comparison> {
  const [a, b] = await Promise.all([findOwnedInstance(deps.db, accountId, idA), findOwnedInstance(deps.db, accountId, idB)]);
  const [aggregatesA, aggregatesB, divergence] = await Promise.all([aggregatesOf(deps.db, a.id), aggregatesOf(deps.db, b.id), firstDivergence(deps.db, a.id, b.id)]);
  return { sessionId: randomUUID(), a: { id: a.id, status: a.status, aggregates: aggregatesA }, b: { id: b.id, status: b.status, aggregates: aggregatesB }, divergence };
}

async function aggregatesOf(db: TrackerDb, instanceId: string): Promise<Aggregates> {
  const [sums, unpricedSteps] = await Promise.all([
    db.instanceStep.aggregate({ where: { instanceId }, _count: { _all: true }, _sum: { costMicros: true, inputTokens: true, outputTokens: true, totalTokens: true, responseTimeMs: true } }),
    db.instanceStep.count({ where: { instanceId, unpriced: true } }),
  ]);
  return {
    steps: sums._count._all,
    costMicros: sums._sum.costMicros ?? 0n,
    inputTokens: sums._sum.inputTokens ?? 0,
    outputTokens: sums._sum.outputTokens ?? 0,
    totalTokens: sums._sum.totalTokens ?? 0,
    timeMs: sums._sum.responseTimeMs ?? 0,
    unpricedSteps,
  };
}

/**
 * The first step number where the two timelines differ, found in the database (payloads of up to 1 MiB a step
 * never come here): a step only one has, or a different stage path, status or payload (compared as JSON values,
 * so key order and `1.0` against `1` do not count). Then the two steps at it are read.
 */
async function firstDivergence(db: TrackerDb, idA: string, idB: string): Promise<Divergence | null> {
  const steps = `"${TRACKER_SCHEMA}"."instance_steps"`;
  const [found] = await db.$queryRawUnsafe<{ step: number }[]>(
    `SELECT COALESCE(a.step, b.step) AS step
       FROM (SELECT step, path, status, payload FROM ${steps} WHERE instance_id = $1) a
       FULL JOIN (SELECT step, path, status, payload FROM ${steps} WHERE instance_id = $2) b ON a.step = b.step
      WHERE a.step IS NULL OR b.step IS NULL OR a.path <> b.path OR a.status <> b.status OR a.payload::jsonb IS DISTINCT FROM b.payload::jsonb
      ORDER BY 1 LIMIT 1`,
    idA,
    idB,
  );
  if (!found) return null;
  const at = (instanceId: string) => db.instanceStep.findUnique({ where: { instanceId_step: { instanceId, step: found.step } }, select: { path: true, status: true, payload: true } });
  const [a, b] = await Promise.all([at(idA), at(idB)]);
  const sideA = side(a);
  const sideB = side(b);
  if (!sideA || !sideB) return { step: found.step, fields: ['missing'], a: sideA, b: sideB };
  const fields = [
    ...(sideA.path !== sideB.path ? ['stage_path'] : []),
    ...(sideA.status !== sideB.status ? ['status'] : []),
    ...((await samePayload(db, idA, idB, found.step)) ? [] : ['payload']),
  ];
  return { step: found.step, fields, a: sideA, b: sideB };
}

const side = (step: { path: string; status: string; payload: unknown } | null): StepSide | null => (step ? { path: step.path, status: step.status, payload: step.payload ?? null } : null);

/** Whether two steps' payloads are the same JSON value, by the database's jsonb equality (as the search above). */
async function samePayload(db: TrackerDb, idA: string, idB: string, step: number): Promise<boolean> {
  const [row] = await db.$queryRawUnsafe<{ same: boolean }[]>(
    `SELECT (a.payload::jsonb IS NOT DISTINCT FROM b.payload::jsonb) AS same FROM "${TRACKER_SCHEMA}"."instance_steps" a, "${TRACKER_SCHEMA}"."instance_steps" b
      WHERE a.instance_id = $1 AND b.instance_id = $2 AND a.step = $3 AND b.step = $3`,
    idA,
    idB,
    step,
  );
  return row?.same ?? false;
}
