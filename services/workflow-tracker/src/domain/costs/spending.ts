import { TRACKER_SCHEMA, type TrackerTx } from '../../data/prisma';
import { MAX_TOTAL_MICROS } from './money';

export interface Change {
  before: bigint;
  after: bigint;
}

export interface Spending {
  instance: Change;
  /** The workflow's spending on the ping's UTC day. */
  day: Change;
  /** The ping's agent's spending in this workflow on that day; null without an agent. */
  agent: Change | null;
}

/** The whole workflow's row in daily_costs (an agent code is never empty: labels are trimmed and empty means none). */
const WHOLE_WORKFLOW = '';

/**
 * Adds a costed ping's cost to its instance and to its workflow's (and agent's) spending of the day, each an
 * atomic `+=` that returns the new total, so parallel pings sum exactly and each sees the line it crossed. Null
 * when a day's total would pass MAX_TOTAL_MICROS: nothing is added, and the caller refuses the ping (its
 * transaction rolls back). The instance's own total cannot pass it: its timeline's, which includes it, was checked.
 */
export async function addSpending(tx: TrackerTx, ping: { instanceId: string; workflowId: string; agentCode: string | null; costMicros: bigint; at: Date }): Promise<Spending | null> {
  const cost = ping.costMicros.toString();
  const [instance] = await tx.$queryRawUnsafe<[{ total: bigint }]>(
    `UPDATE "${TRACKER_SCHEMA}"."workflow_instances" SET cost_micros = cost_micros + $2::bigint WHERE id = $1 RETURNING cost_micros AS total`,
    ping.instanceId,
    cost,
  );
  const day = ping.at.toISOString().slice(0, 10);
  const addToDay = async (agentCode: string): Promise<Change | null> => {
    const [row] = await tx.$queryRawUnsafe<{ total: bigint }[]>(
      `INSERT INTO "${TRACKER_SCHEMA}"."daily_costs" (workflow_id, day, agent_code, cost_micros) VALUES ($1, $2::date, $3, $4::bigint)
       ON CONFLICT (workflow_id, day, agent_code) DO UPDATE SET cost_micros = "daily_costs".cost_micros + EXCLUDED.cost_micros
       WHERE "daily_costs".cost_micros + EXCLUDED.cost_micros <= $5::bigint
       RETURNING cost_micros AS total`,
      ping.workflowId,
      day,
      agentCode,
      cost,
      MAX_TOTAL_MICROS.toString(),
    );
    return row ? changed(row.total, ping.costMicros) : null;
  };
  const dayChange = await addToDay(WHOLE_WORKFLOW);
  const agentChange = ping.agentCode ? await addToDay(ping.agentCode) : null;
  if (!dayChange || (ping.agentCode && !agentChange)) return null;
  return { instance: changed(instance.total, ping.costMicros), day: dayChange, agent: agentChange };
}

const changed = (total: bigint | number, cost: bigint): Change => ({ before: BigInt(total) - cost, after: BigInt(total) });

/** A line crossed by this change: before < line ≤ after (so each line fires once per crossing). */
export const crosses = (line: bigint | null, change: Change): line is bigint => line !== null && change.before < line && line <= change.after;
