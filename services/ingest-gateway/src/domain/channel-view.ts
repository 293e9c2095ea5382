import { signId, type Keyring } from '@pingback/security';
import type { ChannelWithDestinations } from '../data/channel.repository';

export function inboxUrl(publicUrl: string, keyring: Keyring, channelId: string): string {
  return new URL(`/inbox/${signId(keyring, 'inbox-link', channelId)}`, publicUrl).toString();
}

/** A channel as its owner sees it. The token is only ever shown by create and rotate-token. */
export function channelView(channel: ChannelWithDestinations, deps: { publicUrl: string; keyring: Keyring }) {
  return {
    id: channel.id,
    name: channel.name,
    inbox_url: inboxUrl(deps.publicUrl, deps.keyring, channel.id),
    destinations: channel.destinations.map((d) => ({ id: d.id, type: d.type, url: d.url })),
    created_at: channel.createdAt.toISOString(),
  };
}
