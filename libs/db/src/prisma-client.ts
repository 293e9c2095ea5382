import { PrismaPg } from '@prisma/adapter-pg';

export interface PrismaClientOptions {
  connectionString: string;
  /** The service's Postgres schema: every generated query names it, so no search_path is needed. */
  schema: string;
  /** Pool size; pg's default (10) when left out. */
  max?: number;
}

/** A generated PrismaClient class (services/<svc>/src/generated/prisma/client.ts). */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg }) => T;

/**
 * How long to wait for a new connection. With Postgres down the edge must answer 503 within 2 s
 * (CONTRACT §2), so a connection attempt may not hang for pg's default (forever).
 */
const CONNECTION_TIMEOUT_MS = 1_000;
const QUERY_TIMEOUT_MS = 5_000;

/** A service's Prisma client on a pg pool, pointed at the service's own schema. */
export function createPrismaClient<T>(PrismaClient: PrismaClientClass<T>, options: PrismaClientOptions): T {
  const { connectionString, schema, max } = options;
  const pool = {
    connectionString,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    // A pooled connection to a Postgres that stopped answering must not hang a request either.
    query_timeout: QUERY_TIMEOUT_MS,
    ...(max === undefined ? {} : { max }),
  };
  const adapter = new PrismaPg(pool, { schema });
  return new PrismaClient({ adapter });
}
