/** Headers this library reads and writes on messages. */
export const HEADER = {
  traceId: 'x-trace-id',
  /** Attempts already made when the message was (re)published: 1 after the first failure. */
  attempt: 'x-attempt',
  lastError: 'x-last-error',
  /** Consecutive failures of our own infrastructure (they spend no attempt); reset by a failure of the message. */
  infrastructureRetries: 'x-infrastructure-retries',
  parkedReason: 'x-parked-reason',
  parkedAt: 'x-parked-at',
} as const;

export type ParkedReason = 'invalid_json' | 'schema_invalid' | 'non_retryable' | 'attempts_exhausted';

/** Set by RabbitMQ when it dead-letters or redelivers; dropped when the library republishes a message. */
const BROKER_HEADERS = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
];

const MAX_ERROR_LENGTH = 1_000;

export function attemptsMade(headers: Record<string, unknown>): number {
  const value = Number(headers[HEADER.attempt]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function infrastructureRetriesMade(headers: Record<string, unknown>): number {
  const value = Number(headers[HEADER.infrastructureRetries]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function withoutBrokerHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...headers };
  for (const name of BROKER_HEADERS) delete kept[name];
  return kept;
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
