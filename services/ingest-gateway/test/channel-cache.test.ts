import { createChannelCache } from '../src/cache/channel-cache';
import type { StoredChannel } from '../src/data/channel.repository';

// The cache alone, with a loader that counts its calls: what the send path reads from memory, and when it must not.

const channelOf = (id: string, tokenHash: string) => ({ id, tokenHash, destinations: [] }) as unknown as StoredChannel;

function world(rows: Map<string, StoredChannel>, ttlMs = 60_000) {
  let now = 0;
  const loads: string[][] = [];
  let gate: Promise<void> | undefined;
  const cache = createChannelCache(
    async (hashes) => {
      loads.push(hashes);
      await gate;
      return hashes.map((hash) => rows.get(hash)).find(Boolean) ?? null;
    },
    { ttlMs, maxEntries: 2, now: () => now },
  );
  return {
    cache,
    loads,
    advance: (ms: number) => (now += ms),
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('the gateway channel cache', () => {
  test('when a token is looked up twice, then the database is read once', async () => {
    const { cache, loads } = world(new Map([['h1', channelOf('ch_1', 'h1')]]));
    expect((await cache.findByTokenHash(['h1']))?.id).toBe('ch_1');
    expect((await cache.findByTokenHash(['old-key-hash', 'h1']))?.id).toBe('ch_1');
    expect(loads).toHaveLength(1);
  });

  test('when a token is unknown, then nothing is kept and every lookup reads again', async () => {
    const { cache, loads } = world(new Map());
    expect(await cache.findByTokenHash(['nope'])).toBeNull();
    expect(await cache.findByTokenHash(['nope'])).toBeNull();
    expect(loads).toHaveLength(2);
  });

  test('when the channel is forgotten, then the next lookup reads the database again', async () => {
    const rows = new Map([['h1', channelOf('ch_1', 'h1')]]);
    const { cache, loads } = world(rows);
    await cache.findByTokenHash(['h1']);
    rows.delete('h1');
    cache.forget('ch_1');
    expect(await cache.findByTokenHash(['h1'])).toBeNull();
    expect(loads).toHaveLength(2);
  });

  test('when a change is announced while a load is under way, then what that load read is not kept', async () => {
    const rows = new Map([['h1', channelOf('ch_1', 'h1')]]);
    const { cache, loads, hold } = world(rows);
    const release = hold();
    const loading = cache.findByTokenHash(['h1']);
    cache.forget('ch_1');
    release();
    await loading;
    await cache.findByTokenHash(['h1']);
    expect(loads).toHaveLength(2);
  });

  test('when an entry outlives its lifetime, then it is read again', async () => {
    const { cache, loads, advance } = world(new Map([['h1', channelOf('ch_1', 'h1')]]), 1_000);
    await cache.findByTokenHash(['h1']);
    advance(1_001);
    await cache.findByTokenHash(['h1']);
    expect(loads).toHaveLength(2);
  });

  test('when more channels are used than it keeps, then the least recently used goes first', async () => {
    const rows = new Map(['h1', 'h2', 'h3'].map((hash, i) => [hash, channelOf(`ch_${i + 1}`, hash)]));
    const { cache, loads } = world(rows);
    await cache.findByTokenHash(['h1']);
    await cache.findByTokenHash(['h2']);
    await cache.findByTokenHash(['h1']);
    await cache.findByTokenHash(['h3']);
    expect(loads).toHaveLength(3);
    await cache.findByTokenHash(['h1']);
    expect(loads).toHaveLength(3);
    await cache.findByTokenHash(['h2']);
    expect(loads).toHaveLength(4);
  });

  test('when everything is cleared (a broker reconnect), then every channel is read again', async () => {
    const { cache, loads } = world(new Map([['h1', channelOf('ch_1', 'h1')]]));
    await cache.findByTokenHash(['h1']);
    cache.clear();
    await cache.findByTokenHash(['h1']);
    expect(loads).toHaveLength(2);
  });
});
