import type { DurableLogger, SqlClient, TransactionalDb } from '../sql-client';
import { createWakeLoop, type WakeLoop } from '../wake-loop';
import type { Outbox, OutboxRow } from './outbox-table';

export interface OutboxRelayOptions<Tx extends SqlClient> {
  db: TransactionalDb<Tx>;
  outbox: Outbox;
  /** Publishes one row and resolves once the broker confirmed it; a rejection leaves the row for a later round. */
  publish(row: OutboxRow): Promise<void>;
  logger: DurableLogger;
  /** Longest sleep between rounds when nobody kicks (rows written by another process, a failed round). */
  intervalMs: number;
  /** Rows claimed, published and deleted per transaction (default 100). */
  batchSize?: number;
  /** Longest a round's transaction may hold its rows (default 30 s). */
  transactionTimeoutMs?: number;
}

export type OutboxRelay = WakeLoop;

/**
 * Publishes what the outbox holds. A round is one transaction: lock a batch of the oldest rows with
 * `FOR UPDATE SKIP LOCKED` (so two relays never take the same row), publish them one by one, each confirmed,
 * delete those published, commit. A relay that dies mid-round holds no lock once Postgres sees its connection
 * close, and its rows go out from another round, the ones it had already published included. That is the one way
 * a row is published twice (at most one round's rows per crash), and consumers deduplicate by envelope id.
 */
export function createOutboxRelay<Tx extends SqlClient>(options: OutboxRelayOptions<Tx>): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const timeout = options.transactionTimeoutMs ?? 30_000;

  async function round() {
    let failure: unknown;
    const claimed = await options.db.$transaction(
      async (tx) => {
        const rows = await options.outbox.claim(tx, batchSize);
        const published: string[] = [];
        for (const row of rows) {
          try {
            await options.publish(row);
          } catch (error) {
            // Stop here: the broker is most likely unavailable, and the rest keep their order for the next round.
            failure = error;
            break;
          }
          published.push(row.id);
        }
        await options.outbox.remove(tx, published);
        return rows.length;
      },
      { timeout },
    );
    if (failure !== undefined) throw failure;
    return { more: claimed === batchSize };
  }

  return createWakeLoop({ name: 'outbox relay', intervalMs: options.intervalMs, round, logger: options.logger });
}
