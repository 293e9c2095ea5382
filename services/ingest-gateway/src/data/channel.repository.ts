import type { GatewayDb } from './prisma';

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

    /** A new token, and a new inbox URL with it: the old inbox URL stops working too. */
    replaceToken: (id: string, tokenHash: string) =>
      db.channel.update({ where: { id }, data: { tokenHash, inboxVersion: { increment: 1 } }, include: withDestinations }),

    /** Replaces the signing secret only if it is still `current`: of two rotations at once, one wins, none is lost. */
    replaceSigningSecret: async (
      id: string,
      current: string,
      next: { signingSecret: string; previousSigningSecret: string; previousSecretValidUntil: Date },
    ): Promise<boolean> => (await db.channel.updateMany({ where: { id, signingSecret: current }, data: next })).count === 1,

    addDestination: (channelId: string, destination: { id: string; type: string; url: string }) =>
      db.destination.create({ data: { ...destination, channelId } }),

    /** Deletes an account's channel and its destinations; false when the account has no such channel. */
    deleteOwned: async (accountId: string, id: string): Promise<boolean> => (await db.channel.deleteMany({ where: { id, accountId } })).count === 1,

    /** Deletes one destination of an account's channel; false when there is no such destination there. */
    deleteDestination: async (accountId: string, channelId: string, destinationId: string): Promise<boolean> =>
      (await db.destination.deleteMany({ where: { id: destinationId, channelId, channel: { accountId } } })).count === 1,
  };
}

export type ChannelRepository = ReturnType<typeof createChannelRepository>;
export type ChannelWithDestinations = NonNullable<Awaited<ReturnType<ChannelRepository['findOwned']>>>;
