import { checkOwnedChannels, type InternalClient } from '@pingback/http';

/**
 * Alert channels are the account's channels (`ch_…`, made with POST /api/channels with email, Slack, Discord,
 * PagerDuty or webhook destinations): each id named must be one of them, or the request is 400.
 */
export const checkAlertChannels = (gateway: InternalClient, accountId: string, ids: readonly string[], field = 'alert_channels'): Promise<string[]> =>
  checkOwnedChannels(gateway, accountId, ids, field);
