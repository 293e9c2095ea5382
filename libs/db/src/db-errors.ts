// Telling database errors apart. Prisma errors are recognised by name and code, not instanceof: every service has
// its own generated client, and the error classes are not shared between them.
//
// Prisma 7 with @prisma/adapter-pg puts what Postgres said under meta.driverAdapterError.cause:
//   { kind: "UniqueConstraintViolation", constraint: { index: "widgets_key_key" }, originalCode: "23505", ... }
//   { kind: "DatabaseNotReachable", host, port }   { kind: "postgres", code: "57P01", ... }

interface AdapterErrorCause {
  kind?: unknown;
  code?: unknown;
  originalCode?: unknown;
  constraint?: { index?: unknown; fields?: unknown };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The driver adapter's description of the failure, from a Prisma error or a bare DriverAdapterError. */
function adapterCause(error: unknown): AdapterErrorCause | undefined {
  const err = record(error);
  if (!err) return undefined;
  if (err.name === 'DriverAdapterError') return record(err.cause);
  const adapterError = record(record(err.meta)?.driverAdapterError);
  return record(adapterError?.cause);
}

function prismaCode(error: unknown): string | undefined {
  const err = record(error);
  if (typeof err?.name !== 'string' || !err.name.startsWith('PrismaClient')) return undefined;
  const code = err.code ?? err.errorCode;
  return typeof code === 'string' ? code : undefined;
}

function constraintMatches(cause: AdapterErrorCause, constraint: string): boolean {
  const { index, fields } = cause.constraint ?? {};
  if (index === constraint) return true;
  return Array.isArray(fields) && (fields.join(',') === constraint || fields.join(', ') === constraint);
}

/**
 * True when `error` is a unique-constraint violation (Prisma P2002, a raw query's 23505, or pg's own error), and,
 * when `constraint` is given, one on that constraint (its index name, e.g. "widgets_key_key").
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = adapterCause(error);
  if (cause?.kind === 'UniqueConstraintViolation') {
    return constraint === undefined || constraintMatches(cause, constraint);
  }
  if (prismaCode(error) === 'P2002') {
    // Without an adapter cause (not expected with adapter-pg) the constraint cannot be checked.
    return constraint === undefined;
  }
  const err = record(error);
  if (err?.code === '23505' && typeof err.severity === 'string') {
    return constraint === undefined || err.constraint === constraint;
  }
  return false;
}

// Prisma's P1xxx codes are all about reaching or using the server, not about the query.
const INFRASTRUCTURE_PRISMA_CODES = new Set([
  'P2024', // timed out fetching a connection from the pool
  'P2034', // write conflict or deadlock: retry the transaction
  'P2037', // too many database connections
]);

const INFRASTRUCTURE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'TlsConnectionError',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

// SQLSTATE: 08 connection exception, 53 insufficient resources, 57 operator intervention (statement timeout,
// shutdown, cannot connect now), 58 system error; 40001/40P01 serialization failure/deadlock; 55P03 lock timeout.
const INFRASTRUCTURE_SQLSTATE = /^(08|53|57|58)[0-9A-Z]{3}$|^(40001|40P01|55P03)$/;

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

// pg's messages when a connection is lost, cannot be opened in time ("timeout expired": the client's own connect
// time-out, which Prisma passes on as a bare Error) or the pool cannot hand one out; and Prisma's own when a
// transaction could not get a connection within its maxWait or outlived its time limit on a busy database.
const PG_CONNECTION_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|^timeout expired$|client has encountered a connection error|query read timeout|can't reach database server|unable to start a transaction in the given time|commit cannot be executed on an expired transaction|transaction already closed/i;

/**
 * True when `error` comes from the database being unreachable, overloaded, slow or in the way (connection lost,
 * timeout, pool exhausted, serialization conflict), rather than from the request itself: callers answer 503 or
 * retry. Domain errors (unique violations, missing rows, validation) are false.
 */
export function isInfrastructureError(error: unknown, depth = 0): boolean {
  const err = record(error);
  if (!err || depth > 5) return false;
  const name = err.name;
  if (name === 'PrismaClientInitializationError' || name === 'PrismaClientRustPanicError') return true;

  const code = prismaCode(error);
  if (code !== undefined && (code.startsWith('P1') || INFRASTRUCTURE_PRISMA_CODES.has(code))) return true;

  const cause = adapterCause(error);
  if (cause) {
    if (typeof cause.kind === 'string' && INFRASTRUCTURE_ADAPTER_KINDS.has(cause.kind)) return true;
    const sqlstate = cause.originalCode ?? cause.code;
    return typeof sqlstate === 'string' && INFRASTRUCTURE_SQLSTATE.test(sqlstate);
  }

  if (typeof err.code === 'string') {
    if (SOCKET_CODES.has(err.code)) return true;
    if (typeof err.severity === 'string' && INFRASTRUCTURE_SQLSTATE.test(err.code)) return true;
  }
  if (typeof err.message === 'string' && PG_CONNECTION_MESSAGE.test(err.message)) return true;
  return isInfrastructureError(err.cause, depth + 1);
}
