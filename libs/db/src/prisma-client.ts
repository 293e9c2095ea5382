import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { countCommits } from './commit-counter';

/**
 * Two waits that mean different things. Opening a connection that takes longer than `connectTimeoutMs` means
 * Postgres is down (or unreachable): fail at once, so the edge answers 503 within 2 s (CONTRACT §2). Waiting
 * for a free connection of a full pool means Postgres is busy: wait up to `waitMs`, since giving up would fail
 * healthy work under load.
 */
export interface PoolSettings {
  /** Connections at most. */
  size: number;
  /** Connections kept open when idle, so a burst after a quiet spell does not pay for new ones. */
  warm: number;
  waitMs: number;
  connectTimeoutMs: number;
  /** How long a connection beyond the warm ones stays open unused. */
  idleMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = { size: 10, warm: 2, waitMs: 10_000, connectTimeoutMs: 1_000, idleMs: 60_000 };

export interface PrismaClientOptions {
  connectionString: string;
  /** The service's Postgres schema: every generated query names it, so no search_path is needed. */
  schema: string;
  pool?: Partial<PoolSettings>;
  /** Called for every commit the client issues: each explicit COMMIT and each write outside a transaction. */
  onCommit?: () => void;
}

/** A generated PrismaClient class (services/<svc>/src/generated/prisma/client.ts). */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg; transactionOptions?: { maxWait?: number } }) => T;

/** A pooled connection to a Postgres that stopped answering must not hang a request either. */
const QUERY_TIMEOUT_MS = 5_000;

/** A service's Prisma client on a pg pool, pointed at the service's own schema. */
export function createPrismaClient<T>(PrismaClient: PrismaClientClass<T>, options: PrismaClientOptions): T {
  const { connectionString, schema, onCommit } = options;
  const settings = { ...DEFAULT_POOL_SETTINGS, ...options.pool };
  const { connectTimeoutMs } = settings;
  // pg-pool hands its own options to every client it opens; the client reads its connect time-out from them.
  class TimedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    connectionString,
    Client: TimedClient,
    max: settings.size,
    min: Math.min(settings.warm, settings.size),
    idleTimeoutMillis: settings.idleMs,
    connectionTimeoutMillis: settings.waitMs,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  if (onCommit) pool.on('connect', (client) => countCommits(client, onCommit));
  const adapter = new PrismaPg(pool, { schema, disposeExternalPool: true });
  // Prisma gives up starting a transaction after its own maxWait (2 s by default), whatever the pool would
  // wait: let the pool's wait decide, so a busy Postgres delays a transaction as it delays a query.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: settings.waitMs + connectTimeoutMs } });
}
