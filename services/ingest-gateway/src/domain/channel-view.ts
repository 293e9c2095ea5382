import type { Destination } from '@pingback/contracts';
import { signId, type Keyring } from '@pingback/security';
import type { StoredChannel } from '../data/channel.repository';

/** The signed part of an inbox URL: the channel and its inbox version, `ch_…_<version>`. */
const inboxSubject = (channel: { id: string; inboxVersion: number }) => `${channel.id}_${channel.inboxVersion}`;

export function inboxUrl(publicUrl: string, keyring: Keyring, channel: { id: string; inboxVersion: number }): string {
  return new URL(`/inbox/${signId(keyring, 'inbox-link', inboxSubject(channel))}`, publicUrl).toString();
}

/** The channel an inbox token names, if it was signed here; its version must still be the channel's. */
export function parseInboxSubject(subject: string): { channelId: string; inboxVersion: number } | null {
  const match = /^(ch_[A-Za-z0-9]+)_(\d+)$/.exec(subject);
  return match ? { channelId: match[1]!, inboxVersion: Number(match[2]) } : null;
}

/** The first destinations of a channel and how many it has, as the dispatcher (their owner) keeps them. */
export interface ChannelDestinations {
  destinations: Destination[];
  count: number;
}

/** A channel as its owner sees it. The token is only ever shown by create and rotate-token. */
export function channelView(channel: StoredChannel, deps: { publicUrl: string; keyring: Keyring }, destinations: ChannelDestinations) {
  return {
    id: channel.id,
    name: channel.name,
    inbox_url: inboxUrl(deps.publicUrl, deps.keyring, channel),
    destinations: destinations.destinations,
    destination_count: destinations.count,
    created_at: channel.createdAt.toISOString(),
  };
}
