import { TRACKER_SCHEMA, type TrackerTx } from '../../data/prisma';

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
 * atomic `+=` that returns the new total, so parallel pings sum exactly and each sees the line it crossed.
 */
export async function addSpending(tx: TrackerTx, ping: { instanceId: string; workflowId: string; agentCode: string | null; costMicros: bigint; at: Date }): Promise<Spending> {
  const cost = ping.costMicros.toString();
  const [instance] = await tx.$queryRawUnsafe<[{ total: bigint }]>(
    `UPDATE "${TRACKER_SCHEMA}"."workflow_instances" SET cost_micros = cost_micros + $2::bigint WHERE id = $1 RETURNING cost_micros AS total`,
    ping.instanceId,
    cost,
  );
  const day = ping.at.toISOString().slice(0, 10);
  const addToDay = async (agentCode: string): Promise<Change> => {
    const [row] = await tx.$queryRawUnsafe<[{ total: bigint }]>(
      `INSERT INTO "${TRACKER_SCHEMA}"."daily_costs" (workflow_id, day, agent_code, cost_micros) VALUES ($1, $2::date, $3, $4::bigint)
       ON CONFLICT (workflow_id, day, agent_code) DO UPDATE SET cost_micros = "daily_costs".cost_micros + EXCLUDED.cost_micros
       RETURNING cost_micros AS total`,
      ping.workflowId,
      day,
      agentCode,
      cost,
    );
    return changed(row.total, ping.costMicros);
  };
  return {
    instance: changed(instance.total, ping.costMicros),
    day: await addToDay(WHOLE_WORKFLOW),
    agent: ping.agentCode ? await addToDay(ping.agentCode) : null,
  };
}

const changed = (total: bigint | number, cost: bigint): Change => ({ before: BigInt(total) - cost, after: BigInt(total) });

/** A line crossed by this change: before < line ≤ after (so each line fires once per crossing). */
export const crosses = (line: bigint | null, change: Change): line is bigint => line !== null && change.before < line && line <= change.after;
