import { CHANNEL_VIEW_DESTINATIONS, DispatcherRoutes, DomainError, type DestinationInput } from '@pingback/contracts';
import type { InternalClient } from '@pingback/http';
import { assertUrlSafe, UnsafeUrlError, type Resolver } from '@pingback/security';
import type { ChannelDestinations } from './channel-view';

export interface DestinationDeps {
  dispatcher: InternalClient;
  allowPrivateTargets: boolean;
  resolver?: Resolver;
  /** Destinations per channel at most (PINGBACK_MAX_DESTINATIONS_PER_CHANNEL). */
  maxDestinations: number;
}

const ADD_DESTINATIONS_TIMEOUT_MS = 15_000;

/** The URL a user gives for a destination, which the SSRF rules check when it is registered (CONTRACT §6). */
function registeredUrl(input: DestinationInput): string | null {
  switch (input.type) {
    case 'webhook':
    case 'slack':
    case 'discord':
      return input.url;
    case 'web_push':
      return input.subscription.endpoint;
    default:
      return null;
  }
}

export async function assertRegisteredUrlSafe(deps: Pick<DestinationDeps, 'allowPrivateTargets' | 'resolver'>, url: string, field = 'url'): Promise<void> {
  try {
    await assertUrlSafe(url, { allowPrivate: deps.allowPrivateTargets, ...(deps.resolver ? { resolver: deps.resolver } : {}) });
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new DomainError('unsafe_url', `${field}: ${err.message}`, { reason: err.reason, field });
    throw err;
  }
}

/** Checks each user-given URL, then asks the dispatcher (the owner of destinations) to add them all, or none. */
export async function addDestinations(deps: DestinationDeps, accountId: string, channelId: string, inputs: DestinationInput[], traceId?: string) {
  if (inputs.length > deps.maxDestinations) {
    throw new DomainError('destination_limit_reached', `a channel has at most ${deps.maxDestinations} destinations: delete one first`, { limit: deps.maxDestinations });
  }
  for (const [index, input] of inputs.entries()) {
    const url = registeredUrl(input);
    if (url) await assertRegisteredUrlSafe(deps, url, inputs.length > 1 ? `destinations[${index}]` : input.type === 'web_push' ? 'subscription.endpoint' : 'url');
  }
  const added = await deps.dispatcher(DispatcherRoutes.addDestinations, {
    params: { channelId },
    // A thousand rows on a busy database may take longer than a read; a time-out here would answer 503 for
    // destinations that were added after all.
    timeoutMs: ADD_DESTINATIONS_TIMEOUT_MS,
    body: { account_id: accountId, destinations: inputs, max: deps.maxDestinations },
    ...(traceId ? { traceId } : {}),
  });
  return added.data;
}

/** The first destinations of each channel, in one call to the dispatcher. */
export async function destinationsOf(deps: Pick<DestinationDeps, 'dispatcher'>, accountId: string, channelIds: string[], traceId?: string): Promise<Map<string, ChannelDestinations>> {
  if (channelIds.length === 0) return new Map();
  const reply = await deps.dispatcher(DispatcherRoutes.destinationsOfChannels, {
    body: { account_id: accountId, channel_ids: channelIds, per_channel: CHANNEL_VIEW_DESTINATIONS },
    ...(traceId ? { traceId } : {}),
  });
  return new Map(channelIds.map((id) => [id, reply.channels[id] ?? { destinations: [], count: 0 }]));
}
