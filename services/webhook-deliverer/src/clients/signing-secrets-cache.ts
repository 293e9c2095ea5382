import type { WebhookSigner } from '@pingback/contracts';
import type { SecretsLookup } from './signing-secrets-client';

export interface SigningSecretsCacheOptions {
  /** A safety net only: `signer.rotated` drops an entry at once. PINGBACK_SIGNER_CACHE_TTL_MS. */
  ttlMs: number;
  /** The oldest entry goes first beyond this. */
  maxEntries: number;
  now(): number;
  /** Counts hits and misses, and entries dropped by an owner's word or a reconnect. */
  onEvent?(event: 'hit' | 'miss' | 'forgotten' | 'cleared'): void;
}

export interface SigningSecretsCache {
  lookup: SecretsLookup;
  /** The owner rotated or deleted the signer. */
  forget(signer: WebhookSigner): void;
  /** Every entry: rotations published while the broker was unreachable were missed. */
  clear(): void;
  size(): number;
}

interface Entry {
  secrets: Promise<string[]>;
  expiresAt: number;
}

const keyOf = (signer: WebhookSigner): string => `${signer.kind}\u0000${signer.id}`;

/**
 * Remembers what `lookup` answered per signer (the secrets as their owner sends them, still encrypted), so a
 * signer's POSTs make one call to its owner instead of one per attempt. Concurrent lookups of one signer share
 * the call; a failed call is not remembered. An entry is stored before its call answers, so forget() during the
 * call drops it too: the next attempt asks again, and no answer from before a rotation outlives it.
 */
export function createSigningSecretsCache(lookup: SecretsLookup, options: SigningSecretsCacheOptions): SigningSecretsCache {
  const entries = new Map<string, Entry>();

  const cached: SecretsLookup = (signer) => {
    const key = keyOf(signer);
    const found = entries.get(key);
    if (found && found.expiresAt > options.now()) {
      // Re-inserted, so the map's order is least recently used first.
      entries.delete(key);
      entries.set(key, found);
      options.onEvent?.('hit');
      return found.secrets;
    }
    options.onEvent?.('miss');
    const entry: Entry = { secrets: lookup(signer), expiresAt: options.now() + options.ttlMs };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
    entry.secrets.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry.secrets;
  };

  return {
    lookup: cached,
    forget(signer) {
      entries.delete(keyOf(signer));
      options.onEvent?.('forgotten');
    },
    clear() {
      entries.clear();
      options.onEvent?.('cleared');
    },
    size: () => entries.size,
  };
}
