import { request, type ChannelCredentials } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';

export interface GrowResult {
  /** Destinations the channel has now (counting those it had before). */
  count: number;
  /** Why it stopped short of the number asked for (e.g. 409 destination_limit_reached), if it did. */
  refused?: string;
  seconds: number;
}

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
  let refused: string | undefined;
  const worker = async () => {
    while (refused === undefined && next < options.target) {
      const index = next++;
      try {
        const reply = await request<{ error?: string; message?: string }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, {
          body: { type: 'webhook', url: `${options.sinkUrl}?destination=${index}` },
          headers: { authorization: `Bearer ${channel.apiKey}` },
        });
        if (reply.status === 201) added += 1;
        else refused ??= `${reply.status} ${reply.body.error ?? ''}: ${reply.body.message ?? JSON.stringify(reply.body)}`;
      } catch (error) {
        refused ??= `no answer: ${String(error)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { count: options.from + added, ...(refused !== undefined && { refused }), seconds: (performance.now() - start) / 1000 };
}
