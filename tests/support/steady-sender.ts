import { performance } from 'node:perf_hooks';

export interface SendOutcome {
  title: string;
  /** The HTTP status, or 0 when no answer came within the client's timeout (a hung edge). */
  status: number;
  id?: string;
  error?: string;
  retryAfter: string | null;
  elapsedMs: number;
  startedAt: number;
}

/** One send, timed from the request to the whole answer. A client timeout of `timeoutMs` catches a hang. */
export async function timedSend(url: string, title: string, timeoutMs = 10_000): Promise<SendOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
    return {
      title,
      status: response.status,
      ...(body.id ? { id: body.id } : {}),
      ...(body.error ? { error: body.error } : {}),
      retryAfter: response.headers.get('retry-after'),
      elapsedMs: performance.now() - t0,
      startedAt,
    };
  } catch (error) {
    // fetch's "fetch failed" says nothing by itself: the socket error is its cause. (Not `instanceof Error`: under
    // jest, fetch's errors come from another realm.)
    const { cause } = (error ?? {}) as { cause?: unknown };
    const detail = cause === undefined ? '' : ` (${String(cause)}${(cause as { code?: unknown }).code ? ` ${String((cause as { code?: unknown }).code)}` : ''})`;
    return { title, status: 0, error: `${String(error)}${detail}`, retryAfter: null, elapsedMs: performance.now() - t0, startedAt };
  }
}

/**
 * Sends one message after another to `url` until stopped, like a script that keeps notifying through an outage,
 * and records every outcome, so a test can check that each 200 it got is kept.
 */
export function startSteadySender(url: string, options: { pauseMs?: number; titlePrefix?: string } = {}) {
  const outcomes: SendOutcome[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      outcomes.push(await timedSend(url, `${options.titlePrefix ?? 'steady'} ${i}`));
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 20));
    }
  })();
  return {
    outcomes,
    async stop(): Promise<SendOutcome[]> {
      running = false;
      await loop;
      return outcomes;
    },
  };
}

export type SteadySender = ReturnType<typeof startSteadySender>;
