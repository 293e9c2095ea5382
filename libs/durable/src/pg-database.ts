import type { Pool, PoolClient } from 'pg';
import type { SqlClient, TransactionalDb } from './sql-client';

interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

function sqlClient(target: Queryable): SqlClient {
  return {
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await target.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await target.query(query, values)).rowCount ?? 0,
  };
}

/**
 * A `pg` Pool as a TransactionalDb, for code that has no Prisma client (the crash tests' child processes, scripts).
 * Options of `$transaction` are Prisma's and do not apply here: the pool's own time-outs do.
 */
export function pgDatabase(pool: Pool): TransactionalDb {
  return {
    ...sqlClient(pool),
    async $transaction(fn) {
      const client: PoolClient = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(sqlClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection that could not even roll back is discarded rather than handed to the next caller.
        client.release(broken);
      }
    },
  };
}
