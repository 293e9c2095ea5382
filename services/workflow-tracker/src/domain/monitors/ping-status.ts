/** What a ping says of the run it reports: it went well, or it failed (with the exit code when it gave one). */
export type PingOutcome = { ok: true } | { ok: false; exitCode: number | null };

const GOOD_WORDS = new Set(['ok', 'success']);
const FAILURE_WORDS = new Set(['fail', 'failure']);
/** An exit code as the cron recipe's `status=$?` sends it (0…255), or any other whole number of a sane size. */
const EXIT_CODE = /^[+-]?\d{1,10}$/;

/**
 * A heartbeat's `status`: absent, `ok`, `success` or `0` is good; `fail`, `failure` or any other whole number (an exit
 * code) is a failure. Words are read without regard to case. Anything else is undefined (the caller answers 400).
 */
export function pingOutcome(status: unknown): PingOutcome | undefined {
  if (status === undefined || status === null) return { ok: true };
  if (typeof status === 'number') return Number.isInteger(status) && Math.abs(status) <= 2 ** 31 ? exitCodeOutcome(status) : undefined;
  if (typeof status !== 'string') return undefined;
  const word = status.trim().toLowerCase();
  if (GOOD_WORDS.has(word)) return { ok: true };
  if (FAILURE_WORDS.has(word)) return { ok: false, exitCode: null };
  if (EXIT_CODE.test(word) && Math.abs(Number(word)) <= 2 ** 31) return exitCodeOutcome(Number(word));
  return undefined;
}

const exitCodeOutcome = (code: number): PingOutcome => (code === 0 ? { ok: true } : { ok: false, exitCode: code });

export const PING_STATUS_HELP = 'must be ok, success or 0 (good), or fail, failure or a non-zero exit code (failed)';
