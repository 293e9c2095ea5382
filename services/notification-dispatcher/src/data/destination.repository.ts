import type { Prisma } from '../generated/prisma/client';
import type { DispatcherDb } from './prisma';

export interface NewDestination {
  id: string;
  kind: string;
  settings: Prisma.InputJsonObject;
}

export type StoredDestination = Awaited<ReturnType<DispatcherDb['destination']['findFirstOrThrow']>>;

/** The destinations of every channel: what the gateway's management routes add, list and remove. */
export function createDestinationRepository(db: DispatcherDb) {
  return {
    /**
     * Adds them all or none. Adds to one channel take turns (a transaction lock on the channel id), so two at once
     * cannot both take the last places under `max`.
     */
    async add(accountId: string, channelId: string, destinations: NewDestination[], max: number): Promise<StoredDestination[] | 'limit_reached'> {
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${channelId}, 0))`;
        const count = await tx.destination.count({ where: { channelId } });
        if (count + destinations.length > max) return 'limit_reached' as const;
        return tx.destination.createManyAndReturn({
          data: destinations.map((d) => ({ id: d.id, accountId, channelId, kind: d.kind, settings: d.settings })),
        });
      });
    },

    page: (accountId: string, channelId: string, options: { limit: number; after?: string }) =>
      db.destination.findMany({
        where: { accountId, channelId, ...(options.after ? { id: { gt: options.after } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit,
      }),

    /** The first `perChannel` destinations of each channel (by id) and how many each has, in one query. */
    async firstOfChannels(accountId: string, channelIds: string[], perChannel: number) {
      if (channelIds.length === 0) return [];
      return db.$queryRaw<(StoredDestination & { total: number })[]>`
        SELECT id, account_id AS "accountId", channel_id AS "channelId", kind, settings, active, enabled_at AS "enabledAt", created_at AS "createdAt", total::int AS total
          FROM (SELECT d.*, row_number() OVER (PARTITION BY channel_id ORDER BY id) AS n, count(*) OVER (PARTITION BY channel_id) AS total
                  FROM dispatcher.destinations d
                 WHERE account_id = ${accountId} AND channel_id = ANY(${channelIds})) ranked
         WHERE n <= ${perChannel}
         ORDER BY channel_id, id`;
    },

    find: (accountId: string, channelId: string, id: string) => db.destination.findFirst({ where: { id, accountId, channelId } }),

    findById: (id: string) => db.destination.findUnique({ where: { id } }),

    remove: async (accountId: string, channelId: string, id: string): Promise<number> =>
      (await db.destination.deleteMany({ where: { id, accountId, channelId } })).count,

    removeChannel: async (accountId: string, channelId: string): Promise<number> => {
      const [destinations] = await db.$transaction([
        db.destination.deleteMany({ where: { accountId, channelId } }),
        db.channelPolicy.deleteMany({ where: { accountId, channelId } }),
      ]);
      return destinations.count;
    },

    /** Later sends go there again: its owner switched it back on. Null when the channel has no such destination. */
    async enable(accountId: string, channelId: string, id: string, at: Date): Promise<StoredDestination | null> {
      const { count } = await db.destination.updateMany({ where: { id, accountId, channelId }, data: { active: true, enabledAt: at } });
      return count === 0 ? null : db.destination.findFirst({ where: { id, accountId, channelId } });
    },

    /** The provider said the address is gone for good: later sends skip it. */
    deactivate: (id: string) => db.destination.updateMany({ where: { id }, data: { active: false } }),
  };
}

export type DestinationRepository = ReturnType<typeof createDestinationRepository>;
