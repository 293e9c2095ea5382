import { Prisma } from '../generated/prisma/client';
import type { GatewayDb } from './prisma';

/** The channel went (deleted between the caller's ownership check and this write): a foreign key has nothing to point at. */
const isMissingParent = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003';

const withDestinations = { destinations: { orderBy: { createdAt: 'asc' as const } } };

export function createChannelRepository(db: GatewayDb) {
  return {
    create: (channel: { id: string; accountId: string; name: string; tokenHash: string; signingSecret: string; destinations: { id: string; type: string; url: string }[] }) =>
      db.channel.create({
        data: { ...channel, destinations: { create: channel.destinations } },
        include: withDestinations,
      }),

    /** Every send and poll starts here: one query (a join, not Prisma's default second query for the relation). */
    findByTokenHash: (hashes: string[]) =>
      db.channel.findFirst({ where: { tokenHash: { in: hashes } }, include: withDestinations, relationLoadStrategy: 'join' }),

    findById: (id: string) => db.channel.findUnique({ where: { id } }),

    findOwned: (accountId: string, id: string) => db.channel.findFirst({ where: { id, accountId }, include: withDestinations }),

    listOwned: (accountId: string, options: { limit: number; after?: string }) =>
      db.channel.findMany({
        where: { accountId, ...(options.after ? { id: { gt: options.after } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit,
        include: withDestinations,
      }),

    /**
     * A new token, and a new inbox URL with it: the old inbox URL stops working too. Only if the token is still
     * `currentHash` (of two rotations at once, one wins and the other retries); false when it changed or the
     * channel is gone.
     */
    replaceToken: async (accountId: string, id: string, currentHash: string, tokenHash: string): Promise<boolean> =>
      (await db.channel.updateMany({ where: { id, accountId, tokenHash: currentHash }, data: { tokenHash, inboxVersion: { increment: 1 } } })).count === 1,

    /** Replaces the signing secret only if it is still `current`: of two rotations at once, one wins, none is lost. */
    replaceSigningSecret: async (
      id: string,
      current: string,
      next: { signingSecret: string; previousSigningSecret: string; previousSecretValidUntil: Date },
    ): Promise<boolean> => (await db.channel.updateMany({ where: { id, signingSecret: current }, data: next })).count === 1,

    /**
     * Adds a destination unless the channel already has `max`. The channel's row is locked while counting, so two
     * adds at once cannot both take the last place. 'not_found' when the account has no such channel (any more).
     */
    addDestination: async (accountId: string, channelId: string, destination: { id: string; type: string; url: string }, max: number) => {
      try {
        return await db.$transaction(async (tx) => {
          const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM gateway.channels WHERE id = ${channelId} AND account_id = ${accountId} FOR UPDATE`;
          if (locked.length === 0) return 'not_found' as const;
          if ((await tx.destination.count({ where: { channelId } })) >= max) return 'limit_reached' as const;
          return tx.destination.create({ data: { ...destination, channelId } });
        });
      } catch (err) {
        if (isMissingParent(err)) return 'not_found' as const;
        throw err;
      }
    },

    /** Deletes an account's channel and its destinations; false when the account has no such channel. */
    deleteOwned: async (accountId: string, id: string): Promise<boolean> => (await db.channel.deleteMany({ where: { id, accountId } })).count === 1,

    /** Deletes one destination of an account's channel; false when there is no such destination there. */
    deleteDestination: async (accountId: string, channelId: string, destinationId: string): Promise<boolean> =>
      (await db.destination.deleteMany({ where: { id: destinationId, channelId, channel: { accountId } } })).count === 1,
  };
}

export type ChannelRepository = ReturnType<typeof createChannelRepository>;
export type ChannelWithDestinations = NonNullable<Awaited<ReturnType<ChannelRepository['findOwned']>>>;
