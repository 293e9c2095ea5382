import type { TrackerTx } from '../../data/prisma';
import { roundedDivision } from './money';
import type { Change } from './spending';

/** The baseline is the mean cost of this many of the workflow's latest completed runs… */
export const BASELINE_RUNS = 10;
/** …and there is none before this many have completed. */
export const MIN_BASELINE_RUNS = 5;

export interface Anomaly {
  /** multiplier × the baseline mean, in micro-dollars (rounded). */
  thresholdMicros: bigint;
  meanMicros: bigint;
  runs: number;
}

/**
 * Whether this change took the instance past `multiplier` times the mean cost of the workflow's last completed
 * runs (started by a ping or re-run: a fork's own spending is only the part after its fork point). Once per
 * instance: only the ping that passes the line. No baseline (fewer than 5 runs, or a mean of zero), no anomaly.
 */
export async function passedAnomalyLine(tx: TrackerTx, run: { workflowId: string; instanceId: string }, multiplier: number, change: Change): Promise<Anomaly | null> {
  const recent = await tx.workflowInstance.findMany({
    where: { workflowId: run.workflowId, status: 'completed', origin: { not: 'fork' }, id: { not: run.instanceId } },
    orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
    take: BASELINE_RUNS,
    select: { costMicros: true },
  });
  if (recent.length < MIN_BASELINE_RUNS) return null;
  const sum = recent.reduce((total, row) => total + row.costMicros, 0n);
  if (sum === 0n) return null;
  // Compared as integers: cost × runs × 1000 against sum × (multiplier in thousandths).
  const runs = BigInt(recent.length);
  const scaled = BigInt(Math.round(multiplier * 1000)) * sum;
  const above = (micros: bigint) => micros * runs * 1000n > scaled;
  if (above(change.before) || !above(change.after)) return null;
  return { thresholdMicros: roundedDivision(scaled, runs * 1000n), meanMicros: roundedDivision(sum, runs), runs: recent.length };
}
