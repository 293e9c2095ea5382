import { GatewayRoutes } from '@pingback/contracts';
import { validationFailedFields, type InternalClient } from '@pingback/http';

/** At most this many alert channels per workflow, process hook or monitor. */
export const MAX_ALERT_CHANNELS = 20;

/**
 * Alert channels are the account's channels (`ch_…`, made with POST /api/channels with email, Slack, Discord,
 * PagerDuty or webhook destinations): each id named must be one of them, or the request is 400.
 */
export async function checkAlertChannels(gateway: InternalClient, accountId: string, ids: readonly string[], field = 'alert_channels'): Promise<string[]> {
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
