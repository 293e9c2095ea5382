/**
 * What libs/durable needs from a database: raw SQL with positional parameters ($1, $2, …). A service's Prisma
 * client and the client its interactive `$transaction` hands out both have these methods, so any service's
 * generated client fits without an adapter; `pgDatabase` adapts a `pg` Pool.
 */
export interface SqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface TransactionOptions {
  /** Longest the whole transaction may take (Prisma's interactive-transaction `timeout`). */
  timeout?: number;
  /** Longest to wait for a connection to start it (Prisma's `maxWait`). */
  maxWait?: number;
}

/**
 * A database that runs a function in one transaction and hands it the transaction's client (Prisma's
 * interactive `$transaction`). `Tx` is that client's type, so handlers get the service's typed models.
 */
export interface TransactionalDb<Tx extends SqlClient = SqlClient> extends SqlClient {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
}

/** Where a pino logger (or anything with this method) writes what the relay and the sweeper report. */
export interface DurableLogger {
  warn(details: object, message: string): void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * `"schema"."table"`. Raw SQL must name the schema itself: the Prisma adapter's `schema` option reaches only
 * the queries Prisma generates, not raw ones. Only plain lower-case names are accepted, so nothing needs escaping.
 */
export function qualifiedTable(schema: string, table: string): string {
  for (const name of [schema, table]) {
    if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lower-case Postgres identifier`);
  }
  return `"${schema}"."${table}"`;
}

/** Milliseconds as a Postgres interval, for SQL that adds them to the database's now(). */
export const MILLISECONDS = `interval '1 millisecond'`;
