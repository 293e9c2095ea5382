/** Longest wait a receiver's Retry-After can ask for (CONTRACT.md section 6). */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * A Retry-After header (delay in seconds, or an HTTP-date) as milliseconds from `nowMs`, capped at one hour.
 * Undefined when the header is absent or unreadable; a date in the past means 0.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowMs: number = Date.now()): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(text)) return undefined; // "-5", "1.5": neither seconds nor a date
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), MAX_RETRY_AFTER_MS);
}
