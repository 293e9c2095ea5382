import { Client } from 'pg';

/**
 * Connections to the database of `databaseUrl` (other than this one) that are running a statement or sit inside a
 * transaction: what a request holds while it works. A request that sleeps without holding a connection adds none.
 */
export async function busyConnections(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ busy: string }>(
      `SELECT count(*) AS busy FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IS NOT NULL AND state <> 'idle'`,
    );
    return Number(rows[0]!.busy);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the database of `databaseUrl`, as another process of the system would. */
export async function runSql(databaseUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
