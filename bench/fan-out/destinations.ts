import { request, type ChannelCredentials } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';
import { destinationPath } from './delivery-check';
import { DESTINATIONS_PER_REQUEST } from './service-defaults';

export interface AddedDestinations {
  seconds: number;
  requests: number;
  /** Answers other than 201 that were server-side (5xx, no answer), each with what happened next. */
  serverFailures: string[];
}

/** After a server-side failure, wait this long before asking whether the batch landed anyway, then try again. */
const RETRY_PAUSES_MS = [2_000, 5_000, 10_000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Gives the channel `count` webhook destinations, all on the sink, each with its own path, through the
 * management API in batches of up to 1,000 (`{"destinations": [...]}`, all or none). A batch that fails on the
 * server's side may still have been stored (the gateway gave up waiting, the dispatcher went on), so before
 * sending it again the channel's destination_count says whether it landed: the channel never gets a destination
 * twice. A refusal (4xx) throws: without every destination there is no fan-out to measure.
 */
export async function addWebhookDestinations(stack: Stack, channel: ChannelCredentials, sinkUrl: string, count: number): Promise<AddedDestinations> {
  const authorization = { authorization: `Bearer ${channel.apiKey}` };
  const destinationCount = async () => {
    const read = await request<{ destination_count?: number }>(`${stack.url}/api/channels/${channel.channelId}`, { headers: authorization });
    if (read.status !== 200 || read.body.destination_count === undefined) throw new Error(`reading the channel: ${read.status} ${JSON.stringify(read.body)}`);
    return read.body.destination_count;
  };
  const start = performance.now();
  const result: AddedDestinations = { seconds: 0, requests: 0, serverFailures: [] };
  for (let first = 0; first < count; first += DESTINATIONS_PER_REQUEST) {
    const size = Math.min(DESTINATIONS_PER_REQUEST, count - first);
    const batch = `destinations ${first + 1}–${first + size}`;
    const destinations = Array.from({ length: size }, (_, i) => ({ type: 'webhook', url: `${sinkUrl}${destinationPath(first + i)}` }));
    for (let attempt = 0; ; attempt += 1) {
      result.requests += 1;
      const added = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { body: { destinations }, headers: authorization }).catch(
        (error: unknown) => ({ status: 0, body: String(error) }),
      );
      if (added.status === 201) break;
      const failure = `${added.status || 'no answer'} ${JSON.stringify(added.body)}`;
      if ((added.status > 0 && added.status < 500) || attempt >= RETRY_PAUSES_MS.length) throw new Error(`adding ${batch} of ${count}: ${failure}`);
      await sleep(RETRY_PAUSES_MS[attempt]!);
      const now = await destinationCount();
      if (now === first + size) {
        result.serverFailures.push(`${batch}: ${failure}, yet stored`);
        break;
      }
      if (now !== first) throw new Error(`adding ${batch} of ${count}: ${failure}, and the channel has ${now} destinations`);
      result.serverFailures.push(`${batch}: ${failure}, not stored: sent again`);
    }
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}
