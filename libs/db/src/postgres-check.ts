import { Pool } from 'pg';

/** A one-connection pool for services that need only to know Postgres is reachable. */
export function createPostgresCheck(connectionString: string) {
  const pool = new Pool({ connectionString, max: 1, connectionTimeoutMillis: 1000 });
  pool.on('error', () => undefined);
  return {
    ping: () => pool.query('SELECT 1').then(() => true, () => false),
    close: () => pool.end(),
  };
}
