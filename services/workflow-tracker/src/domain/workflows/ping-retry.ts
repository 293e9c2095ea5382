import { unavailableError } from '@pingback/contracts';
import { isUniqueViolation } from '@pingback/db';

/**
 * The instance a ping was about to change ended under it (a stage time-out or grace period fired on another
 * transaction between the ping's read and its conditional update): the ping's transaction rolls back and runs
 * again against what is there now.
 */
export class InstanceEndedMeanwhile extends Error {
  constructor() {
    super('the running instance ended meanwhile');
    this.name = 'InstanceEndedMeanwhile';
  }
}

const ATTEMPTS = 5;

/**
 * Runs a ping's transaction again when it lost a race it can win on a second look: its instance ended meanwhile,
 * a unique index refused a second running instance or a second workflow of the same id (the other one committed
 * first; the next attempt finds it), or Postgres broke a deadlock. Never a 500: out of attempts, 503.
 */
export async function withPingRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!lostARace(error)) throw error;
      if (attempt >= ATTEMPTS) throw unavailableError('the workflow is busy, try again');
    }
  }
}

function lostARace(error: unknown): boolean {
  return error instanceof InstanceEndedMeanwhile || isUniqueViolation(error) || isTransactionConflict(error);
}

/** Prisma's P2034 (write conflict or deadlock), or Postgres' 40001 / 40P01 as the driver adapter reports them. */
function isTransactionConflict(error: unknown): boolean {
  const err = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } } } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 'P2034') return true;
  const cause = err.meta?.driverAdapterError?.cause;
  if (cause?.kind === 'TransactionWriteConflict') return true;
  const sqlstate = cause?.originalCode ?? cause?.code;
  return sqlstate === '40001' || sqlstate === '40P01';
}
