import { qualifiedTable, type SqlClient } from '../sql-client';

/** A message to publish once the transaction that wrote it commits. */
export interface OutboxEntry {
  /** The envelope's id: consumers deduplicate by it, so a second publish of the same row is harmless. */
  id: string;
  /** Which message this is (the publication's key); the service's publish function maps it to the broker. */
  publication: string;
  /** The message exactly as it will be published; stored as json, so its keys keep their order. */
  envelope: unknown;
}

export type OutboxRow = OutboxEntry;

export interface Outbox {
  /** The table, `"schema"."outbox"`. */
  table: string;
  /** Inserts the entries with the caller's transaction (or client): they commit, or vanish, with its other writes. */
  append(tx: SqlClient, entries: readonly OutboxEntry[]): Promise<void>;
  /** Locks up to `limit` of the oldest rows that no other transaction holds, for the relay. */
  claim(tx: SqlClient, limit: number): Promise<OutboxRow[]>;
  remove(tx: SqlClient, ids: readonly string[]): Promise<void>;
  /** Rows waiting; for tests and metrics. */
  count(db: SqlClient): Promise<number>;
}

// Postgres allows 65,535 parameters in one statement; three per row.
const ROWS_PER_INSERT = 1_000;

/** The outbox table of a service's Postgres schema (model `OutboxMessage`, see libs/durable/README.md). */
export function defineOutbox(options: { schema: string }): Outbox {
  const table = qualifiedTable(options.schema, 'outbox');
  return {
    table,
    async append(tx, entries) {
      for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
        const chunk = entries.slice(start, start + ROWS_PER_INSERT);
        const values = chunk.flatMap((entry) => [entry.id, entry.publication, JSON.stringify(entry.envelope)]);
        const rows = chunk.map((_, n) => `($${n * 3 + 1}, $${n * 3 + 2}, $${n * 3 + 3}::json)`).join(', ');
        await tx.$executeRawUnsafe(`INSERT INTO ${table} (id, publication, envelope) VALUES ${rows}`, ...values);
      }
    },
    async claim(tx, limit) {
      const rows = await tx.$queryRawUnsafe<Array<{ id: string; publication: string; envelope: string }>>(
        `SELECT id, publication, envelope::text AS envelope FROM ${table}
          ORDER BY created_at, id LIMIT $1::int FOR UPDATE SKIP LOCKED`,
        limit,
      );
      return rows.map((row) => ({ id: row.id, publication: row.publication, envelope: JSON.parse(row.envelope) as unknown }));
    },
    async remove(tx, ids) {
      if (ids.length === 0) return;
      await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`, JSON.stringify(ids));
    },
    async count(db) {
      const [row] = await db.$queryRawUnsafe<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM ${table}`);
      return row?.count ?? 0;
    },
  };
}
