import type { StoredChannel } from '../data/channel.repository';

export interface ChannelCacheOptions {
  /** A safety net only: `channel.changed` drops an entry at once. PINGBACK_CHANNEL_CACHE_TTL_MS. */
  ttlMs: number;
  /** The least recently used entry goes first beyond this. */
  maxEntries: number;
  now(): number;
}

export interface ChannelCache {
  /** The channel whose token hashes to one of `hashes` (current and previous secret keys), or null. */
  findByTokenHash(hashes: string[]): Promise<StoredChannel | null>;
  /** The channel changed (token, secret, destinations) or is gone. */
  forget(channelId: string): void;
  /** Every entry: changes announced while the broker was unreachable were missed. */
  clear(): void;
}

interface Entry {
  channel: StoredChannel;
  expiresAt: number;
}

/**
 * Every send and poll starts with its channel: this keeps them in memory, so the send path reads no Postgres.
 * Only channels found are kept (an unknown token costs a query every time, and is throttled as a failed
 * credential). A change anywhere bumps the generation, so a load that started before a change is not stored
 * after it: no entry can outlive the change it missed.
 */
export function createChannelCache(load: (hashes: string[]) => Promise<StoredChannel | null>, options: ChannelCacheOptions): ChannelCache {
  const byTokenHash = new Map<string, Entry>();
  let generation = 0;

  const remember = (channel: StoredChannel): void => {
    byTokenHash.delete(channel.tokenHash);
    byTokenHash.set(channel.tokenHash, { channel, expiresAt: options.now() + options.ttlMs });
    while (byTokenHash.size > options.maxEntries) byTokenHash.delete(byTokenHash.keys().next().value as string);
  };

  return {
    async findByTokenHash(hashes) {
      for (const hash of hashes) {
        const found = byTokenHash.get(hash);
        if (!found) continue;
        if (found.expiresAt <= options.now()) {
          byTokenHash.delete(hash);
          continue;
        }
        // Re-inserted, so the map's order is least recently used first.
        byTokenHash.delete(hash);
        byTokenHash.set(hash, found);
        return found.channel;
      }
      const startedAt = generation;
      const channel = await load(hashes);
      if (channel && generation === startedAt) remember(channel);
      return channel;
    },
    forget(channelId) {
      generation++;
      for (const [hash, entry] of byTokenHash) if (entry.channel.id === channelId) byTokenHash.delete(hash);
    },
    clear() {
      generation++;
      byTokenHash.clear();
    },
  };
}
