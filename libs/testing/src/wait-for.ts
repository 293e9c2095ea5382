export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between tries (default 50 ms). */
  intervalMs?: number;
  /** Names the condition in the timeout error. */
  description?: string;
}

type Found<T> = Exclude<T, undefined | null | false>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `fn` until it returns something other than undefined, null or false, and resolves with that. A throw
 * counts as "not yet" (so an `expect` inside works); after the deadline it rejects with the last throw or value.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Found<T>> {
  const { timeoutMs = 10_000, intervalMs = 50, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { error: unknown } | { value: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Found<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const detail = 'error' in last ? String(last.error) : `last value: ${String(last.value)}`;
      throw new Error(`waitFor timed out after ${timeoutMs} ms waiting for ${description} (${detail})`, {
        cause: 'error' in last ? last.error : undefined,
      });
    }
    await sleep(intervalMs);
  }
}
