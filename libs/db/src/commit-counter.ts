import type pg from 'pg';

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

const firstWord = (sql: string): string => /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';

/** A statement that writes: a write, or a WITH whose CTEs write (`WITH x AS (INSERT … RETURNING …) SELECT …`). */
const writes = (verb: string, sql: string): boolean => WRITES.has(verb) || (verb === 'WITH' && /\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(sql));

/**
 * Watches one pooled connection's statements and reports each commit it issues: an explicit COMMIT, or a write
 * outside BEGIN … COMMIT (Postgres commits it by itself). Read-only statements cost no fsync and are not counted.
 */
export function countCommits(client: pg.PoolClient, onCommit: () => void): void {
  let inTransaction = false;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const watched = (...args: unknown[]): unknown => {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text === 'string') {
      const verb = firstWord(text);
      if (verb === 'BEGIN' || verb === 'START') inTransaction = true;
      else if (verb === 'COMMIT' || verb === 'END') {
        inTransaction = false;
        onCommit();
      } else if (verb === 'ROLLBACK' && !/\bTO\b/i.test(text)) inTransaction = false;
      else if (!inTransaction && writes(verb, text)) onCommit();
    }
    return query(...args);
  };
  client.query = watched as typeof client.query;
}
