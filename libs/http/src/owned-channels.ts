import { GatewayRoutes } from '@pingback/contracts';
import { validationFailedFields } from './app-error';
import type { InternalClient } from './internal-client';

/**
 * Channels named by another service's object (a monitor's alert channels, a reviewer's channels) are the account's
 * channels (`ch_…`, the gateway's): each id named must be one of them, or the request is 400 naming the field.
 * Answers the ids without repeats, in the order first named.
 */
export async function checkOwnedChannels(gateway: InternalClient, accountId: string, ids: readonly string[], field: string): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const { owned } = await gateway(GatewayRoutes.ownedChannels, { params: { accountId }, query: { ids: unique.join(',') } });
  const known = new Set(owned);
  const missing = unique.map((id) => ({ id, index: ids.indexOf(id) })).filter(({ id }) => !known.has(id));
  if (missing.length > 0) {
    throw validationFailedFields(missing.map(({ id, index }) => ({ path: `${field}.${index}`, message: `no channel ${id} in this account` })));
  }
  return unique;
}
