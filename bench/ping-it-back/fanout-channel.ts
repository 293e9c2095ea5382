import { request, type ChannelCredentials } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';

export interface GrowResult {
  /** Destinations the channel has now (counting those it had before). */
  count: number;
  /** Why it stopped short of the number asked for (e.g. 409 destination_limit_reached), if it did. */
  refused?: string;
  /** Requests that failed on the server's side (5xx, no answer) and were tried again. */
  retried: number;
  seconds: number;
}

/** A 5xx or no answer is tried again after these pauses; a 4xx is the gateway's answer and ends the growth. */
const RETRY_PAUSES_MS = [500, 2_000, 5_000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Adds webhook destinations to a channel through the management API, `concurrency` requests at a time, until it
 * has `target`. Every destination is the same loopback sink with its own query string, so no two URLs are the
 * same. Stops at the first refusal and says what it was, rather than throwing: the caller reports how far it got.
 */
export async function growDestinations(
  stack: Stack,
  channel: ChannelCredentials,
  options: { sinkUrl: string; from: number; target: number; concurrency: number },
): Promise<GrowResult> {
  const start = performance.now();
  let next = options.from;
  let added = 0;
  let retried = 0;
  let refused: string | undefined;
  const add = async (index: number): Promise<string | undefined> => {
    let failure = '';
    for (let attempt = 0; attempt <= RETRY_PAUSES_MS.length; attempt += 1) {
      if (attempt > 0) {
        retried += 1;
        await sleep(RETRY_PAUSES_MS[attempt - 1]!);
      }
      try {
        const reply = await request<{ error?: string; message?: string }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, {
          body: { type: 'webhook', url: `${options.sinkUrl}?destination=${index}` },
          headers: { authorization: `Bearer ${channel.apiKey}` },
        });
        if (reply.status === 201) return undefined;
        failure = `${reply.status} ${reply.body.error ?? ''}: ${reply.body.message ?? JSON.stringify(reply.body)}`;
        if (reply.status < 500) return failure;
      } catch (error) {
        failure = `no answer: ${String(error)}`;
      }
    }
    return `${failure} (tried ${RETRY_PAUSES_MS.length + 1} times)`;
  };
  const worker = async () => {
    while (refused === undefined && next < options.target) {
      const failure = await add(next++);
      if (failure === undefined) added += 1;
      else refused ??= failure;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { count: options.from + added, ...(refused !== undefined && { refused }), retried, seconds: (performance.now() - start) / 1000 };
}
