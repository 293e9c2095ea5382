import { checkOwnedChannels, type InternalClient } from '@pingback/http';

/** At most this many alert channels per workflow, process hook or monitor. */
export { MAX_TRACKER_ALERT_CHANNELS as MAX_ALERT_CHANNELS } from '@pingback/contracts';

/**
 * Alert channels are the account's channels (`ch_…`, made with POST /api/channels with email, Slack, Discord,
 * PagerDuty or webhook destinations): each id named must be one of them, or the request is 400.
 */
export const checkAlertChannels = (gateway: InternalClient, accountId: string, ids: readonly string[], field = 'alert_channels'): Promise<string[]> =>
  checkOwnedChannels(gateway, accountId, ids, field);
