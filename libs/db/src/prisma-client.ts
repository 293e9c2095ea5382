import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { countCommits } from './commit-counter';
import { createReadinessProbe, registerReadinessProbe } from './readiness-probe';

/**
 * Postgres down and Postgres busy are told apart. Down: a connection is refused (at once), or, while the last
 * attempt to connect failed, takes longer than `connectTimeoutMs`: fail fast, so the edge answers 503 within 2 s
 * (CONTRACT §2). Busy: every connection of the pool is in use, or opening one is slow while the last one opened
 * fine (a loaded machine takes seconds to fork a backend and check a password): wait up to `waitMs`, since
 * giving up would fail healthy work under load.
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

type ConnectCallback = Parameters<pg.Client['connect']>[0] & object;

/** A generated PrismaClient class (services/<svc>/src/generated/prisma/client.ts). */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg; transactionOptions?: { maxWait?: number; timeout?: number } }) => T;

/** A pooled connection to a Postgres that stopped answering must not hang a request either. */
const QUERY_TIMEOUT_MS = 5_000;
const TRANSACTION_TIMEOUT_MS = 30_000;

/** A service's Prisma client on a pg pool, pointed at the service's own schema. */
export function createPrismaClient<T>(PrismaClient: PrismaClientClass<T>, options: PrismaClientOptions): T {
  const { connectionString, schema, onCommit } = options;
  const settings = { ...DEFAULT_POOL_SETTINGS, ...options.pool };
  const health = createConnectHealth(settings);
  // pg-pool hands its own options to every client it opens; the client reads its connect time-out from them.
  class TimedClient extends pg.Client {
    private readonly connectOutcome: (opened: boolean) => void;

    constructor(config?: pg.ClientConfig) {
      const attempt = health.nextAttempt();
      super({ ...config, connectionTimeoutMillis: attempt.timeoutMs });
      this.connectOutcome = attempt.done;
    }

    // pg-pool connects with a callback, Prisma never connects a client itself: both forms note the outcome.
    override connect(): Promise<pg.Client>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
      if (!callback) {
        return super.connect().then(
          (client) => {
            this.connectOutcome(true);
            return client;
          },
          (error: unknown) => {
            this.connectOutcome(false);
            throw error;
          },
        );
      }
      super.connect((error: Error | null) => {
        this.connectOutcome(!error);
        (callback as (error: Error | null) => void)(error);
      });
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
  // An idle connection that Postgres closed (a restart, a terminated backend) is dropped by the pool; without a
  // listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  if (onCommit) pool.on('connect', (client) => countCommits(client, onCommit));
  warmUp(pool, Math.min(settings.warm, settings.size));
  const adapter = new PrismaPg(pool, { schema, disposeExternalPool: true });
  // Prisma waits for a transaction's connection on its own clock (2 s by default): the same wait as the pool's.
  // A transaction may then run for TRANSACTION_TIMEOUT_MS, each statement at most QUERY_TIMEOUT_MS.
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: settings.waitMs, timeout: TRANSACTION_TIMEOUT_MS } });
  registerReadinessProbe(client as object, createReadinessProbe(pool, health));
  return client;
}

/** Opens the warm connections now, so the first burst does not wait for them; Postgres down just leaves it cold. */
function warmUp(pool: pg.Pool, count: number): void {
  for (let i = 0; i < count; i++) {
    pool.connect().then(
      (client) => client.release(),
      () => undefined,
    );
  }
}

/** While Postgres counts as down, one connect in this long may still take the busy time-out, to find it back. */
const DOWN_PROBE_INTERVAL_MS = 5_000;

/**
 * Which time-out the next connect gets. Up (the last connect opened, or none was tried yet): the busy time-out,
 * `waitMs`. Down (the last connect failed): the short `connectTimeoutMs`, except a probe every few seconds with
 * the busy time-out, so a Postgres that came back on a loaded machine, slow to connect, is found again.
 */
function createConnectHealth(settings: PoolSettings) {
  let down = false;
  let lastProbeAt = 0;
  return {
    isDown: () => down,
    nextAttempt(): { timeoutMs: number; done(opened: boolean): void } {
      const probe = down && Date.now() - lastProbeAt >= DOWN_PROBE_INTERVAL_MS;
      if (probe) lastProbeAt = Date.now();
      return {
        timeoutMs: !down || probe ? settings.waitMs : settings.connectTimeoutMs,
        done(opened) {
          // The failure that finds Postgres down counts as its first probe.
          if (!opened && !down) lastProbeAt = Date.now();
          down = !opened;
        },
      };
    },
  };
}
