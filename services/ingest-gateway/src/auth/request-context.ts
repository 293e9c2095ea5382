import { unauthorized } from '@pingback/http';
import type { StoredChannel } from '../data/channel.repository';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the API-key families (management, seed 002). */
      accountId?: string;
      apiKeyId?: string;
      /** The API key's name, or its id when it has none: who decided, for an approval decided by API. */
      apiKeyName?: string;
      /** Set by the channel-token family. */
      channel?: StoredChannel;
      /** Set by the link families: what the link's signature covers. */
      linkSubject?: string;
    }
  }
}

export function accountOf(req: { accountId?: string }): string {
  if (!req.accountId) throw unauthorized();
  return req.accountId;
}

export function channelOf(req: { channel?: StoredChannel }): StoredChannel {
  if (!req.channel) throw unauthorized();
  return req.channel;
}
