import type { Prisma, RoomPing } from '../generated/prisma/client';
import { GATEWAY_SCHEMA, type GatewayDb } from './prisma';

export type StoredRoomPing = RoomPing;

/** A fire's Idempotency-Key: scoped to its webhook, remembered `ttlMs` (an hour). */
export interface PingIdempotency {
  webhookId: string;
  keyHash: string;
  ttlMs: number;
}

export type RecordedPing = { kind: 'recorded' } | { kind: 'replay'; ping: StoredRoomPing };

/**
 * Claims the key for `pingId`: inserts it, or takes over a row older than the key's lifetime. Answers nothing
 * when a live row holds it; a concurrent claim that has not committed makes this one wait for its outcome.
 */
const CLAIM_KEY = `
INSERT INTO "${GATEWAY_SCHEMA}".room_idempotency_keys AS k (webhook_id, key_hash, ping_id, created_at)
VALUES ($1, $2, $3, $4::timestamptz)
ON CONFLICT (webhook_id, key_hash) DO UPDATE SET ping_id = EXCLUDED.ping_id, created_at = EXCLUDED.created_at
  WHERE k.created_at < $5::timestamptz
RETURNING ping_id`;

/** The record of every ping, and the Postgres side of a fire's Idempotency-Key (CONTRACT §2, §7). */
export function createRoomPingRepository(db: GatewayDb) {
  return {
    /**
     * Records the ping and runs `publish` (its commands, confirmed by the broker) in one transaction: should the
     * publish fail, no ping and no key are left behind, and the caller answers 503. With a key that a live ping
     * already holds, nothing is recorded or published: that ping is answered instead.
     */
    async record(ping: Prisma.RoomPingUncheckedCreateInput, key: PingIdempotency | null, now: Date, publish: () => Promise<void>): Promise<RecordedPing> {
      return db.$transaction(
        async (tx) => {
          if (key) {
            const claimed = await tx.$queryRawUnsafe<{ ping_id: string }[]>(CLAIM_KEY, key.webhookId, key.keyHash, ping.id, now, new Date(now.getTime() - key.ttlMs));
            if (claimed.length === 0) {
              const holder = await tx.roomIdempotencyKey.findUnique({ where: { webhookId_keyHash: { webhookId: key.webhookId, keyHash: key.keyHash } } });
              const original = holder && (await tx.roomPing.findUnique({ where: { id: holder.pingId } }));
              if (original) return { kind: 'replay', ping: original };
              // The key's ping went with its room: the key is free again.
              await tx.roomIdempotencyKey.update({ where: { webhookId_keyHash: { webhookId: key.webhookId, keyHash: key.keyHash } }, data: { pingId: ping.id, createdAt: now } });
            }
          }
          await tx.roomPing.create({ data: ping });
          await publish();
          return { kind: 'recorded' };
        },
        // Publishing to every member waits for the broker's confirms (each well under the edge's 2 s).
        { timeout: 10_000 },
      );
    },

    find: (roomId: string, id: string) => db.roomPing.findFirst({ where: { roomId, id } }),
  };
}

export type RoomPingRepository = ReturnType<typeof createRoomPingRepository>;
