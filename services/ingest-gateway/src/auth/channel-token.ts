import { unauthorized } from '@pingback/http';
import { hashCandidates, type Keyring } from '@pingback/security';
import type { ChannelRepository, ChannelWithDestinations } from '../data/channel.repository';

/** Resolves the channel token in a send or poll path; unknown or rotated-away tokens get 401. */
export async function channelForToken(deps: { channels: ChannelRepository; keyring: Keyring }, token: string): Promise<ChannelWithDestinations> {
  const channel = await deps.channels.findByTokenHash(hashCandidates(deps.keyring, token));
  if (!channel) throw unauthorized('unknown channel token');
  return channel;
}
