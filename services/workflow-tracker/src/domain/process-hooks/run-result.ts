import type { PingOutcome } from '../monitors/ping-status';
import { pingOutcome } from '../monitors/ping-status';

export type RunResult = { result: 'succeeded' } | { result: 'failed'; reason: string };

const FAILURE_WORDS = new Set(['fail', 'failed', 'failure', 'error']);

/**
 * How a finished run went. Failed when the finish's own `status` (query or body, read as a heartbeat's) says so, or
 * its metadata does: `metadata.status` of fail, failed, failure or error (any case) or a non-zero number, or a
 * non-zero `metadata.exit_code`. Anything else in the metadata (the seed's `"status": "success"`) succeeded.
 */
export function runResult(status: PingOutcome, metadata: Record<string, unknown> | null): RunResult {
  if (!status.ok) return { result: 'failed', reason: status.exitCode === null ? 'status fail' : `exit code ${status.exitCode}` };
  const reported = metadata?.status;
  if (typeof reported === 'string' && FAILURE_WORDS.has(reported.trim().toLowerCase())) return { result: 'failed', reason: `status "${reported.trim()}"` };
  if (typeof reported === 'number' || (typeof reported === 'string' && /^\s*[+-]?\d+\s*$/.test(reported))) {
    const outcome = pingOutcome(typeof reported === 'string' ? reported.trim() : reported);
    if (outcome && !outcome.ok) return { result: 'failed', reason: `exit code ${outcome.exitCode}` };
  }
  const exitCode = metadata?.exit_code;
  const exit = typeof exitCode === 'number' || typeof exitCode === 'string' ? pingOutcome(exitCode) : undefined;
  if (exit && !exit.ok && exit.exitCode !== null) return { result: 'failed', reason: `exit code ${exit.exitCode}` };
  return { result: 'succeeded' };
}
