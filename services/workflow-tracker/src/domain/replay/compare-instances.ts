import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { TrackerDb } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { findOwnedInstance } from './owned-instance';

/** Steps read at a time while looking for the first difference (each may carry a payload of up to 1 MiB). */
const BATCH = 200;

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

async function firstDivergence(db: TrackerDb, idA: string, idB: string): Promise<Divergence | null> {
  const page = (instanceId: string, from: number) =>
    db.instanceStep.findMany({ where: { instanceId, step: { gte: from } }, orderBy: { step: 'asc' }, take: BATCH, select: { step: true, path: true, status: true, payload: true } });
  for (let from = 0; ; from += BATCH) {
    const [stepsA, stepsB] = await Promise.all([page(idA, from), page(idB, from)]);
    for (let i = 0; i < Math.max(stepsA.length, stepsB.length); i++) {
      const a = side(stepsA[i]);
      const b = side(stepsB[i]);
      const fields = differences(a, b);
      if (fields.length > 0) return { step: from + i, fields, a, b };
    }
    if (stepsA.length < BATCH && stepsB.length < BATCH) return null;
  }
}

const side = (step: { path: string; status: string; payload: unknown } | undefined): StepSide | null => (step ? { path: step.path, status: step.status, payload: step.payload ?? null } : null);

function differences(a: StepSide | null, b: StepSide | null): string[] {
  if (!a || !b) return a || b ? ['missing'] : [];
  return [...(a.path !== b.path ? ['stage_path'] : []), ...(a.status !== b.status ? ['status'] : []), ...(isDeepStrictEqual(a.payload, b.payload) ? [] : ['payload'])];
}
