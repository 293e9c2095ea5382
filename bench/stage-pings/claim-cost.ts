import type { Client } from 'pg';
import { defineDeadlines, type Deadlines } from '../../libs/durable/src';
import { median } from '../ping-it-back/percentiles';
import { claimStatement } from './claim-statement';
import { readExplain, type ExplainOutput } from './explain-plan';
import { insertDeadlines, type MonitorClock } from './monitor-rows';

/** A schema of the bench's own, in the bench's database: no tracker sweeps the table the claim is measured on. */
const CLAIM_SCHEMA = 'stage_pings_claim';

export interface ClaimCost {
  rows: number;
  due: number;
  runs: number;
  medianMs: number;
  planningMs: number;
  shape: string;
}

async function explainClaim(client: Client, deadlines: Deadlines, options: { kinds: readonly string[]; batchSize: number; runs: number }) {
  const statement = await claimStatement(deadlines, options.kinds, options.batchSize);
  const runs = [];
  for (let run = 0; run < options.runs; run += 1) {
    // FOR UPDATE really locks under EXPLAIN ANALYZE: each run in a transaction that gives its locks back.
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ 'QUERY PLAN': ExplainOutput[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
      runs.push(readExplain(rows[0]!['QUERY PLAN'][0]!));
    } finally {
      await client.query('ROLLBACK');
    }
  }
  return {
    runs: runs.length,
    medianMs: median(runs.map((run) => run.executionMs)),
    planningMs: median(runs.map((run) => run.planningMs)),
    shape: runs[runs.length - 1]!.shape,
  };
}

/**
 * The sweeper's claim (libs/durable's `claimDue`, the tracker's kinds, its batch size) under EXPLAIN ANALYZE, on a
 * copy of the tracker's deadlines table with its indexes: first with only the `due` rows, then with rows not yet
 * due added up to `rows`. Both tables are analyzed first, as autovacuum would have done.
 */
export async function measureClaimCost(
  client: Client,
  options: { sourceTable: string; clock: MonitorClock; kinds: readonly string[]; batchSize: number; due: number; rows: number; runs: number },
): Promise<ClaimCost[]> {
  const deadlines = defineDeadlines({ schema: CLAIM_SCHEMA });
  await client.query(`DROP SCHEMA IF EXISTS ${CLAIM_SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${CLAIM_SCHEMA}`);
  try {
    await client.query(`CREATE TABLE ${deadlines.table} (LIKE ${options.sourceTable} INCLUDING ALL)`);
    const measure = async (rows: number): Promise<ClaimCost> => {
      await client.query(`ANALYZE ${deadlines.table}`);
      return { rows, due: options.due, ...(await explainClaim(client, deadlines, options)) };
    };
    const expectedAt = new Date();
    await insertDeadlines(client, deadlines.table, { clock: options.clock, expectedAt, from: 1, to: options.due, dueInMs: -60_000 });
    const fewest = await measure(options.due);
    await insertDeadlines(client, deadlines.table, { clock: options.clock, expectedAt, from: options.due + 1, to: options.rows, dueInMs: 3_600_000 });
    return [fewest, await measure(options.rows)];
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${CLAIM_SCHEMA} CASCADE`);
  }
}
