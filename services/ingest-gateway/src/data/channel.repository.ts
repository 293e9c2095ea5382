import type { GatewayDb } from './prisma';

export function createChannelRepository(db: GatewayDb) {
  return {
    create: (channel: { id: string; accountId: string; name: string; tokenHash: string; signingSecret: string }) => db.channel.create({ data: channel }),

    /** Every send and poll starts here: one query by the unique index, whatever the channel's destinations. */
    findByTokenHash: (hashes: string[]) => db.channel.findFirst({ where: { tokenHash: { in: hashes } } }),

    findById: (id: string) => db.channel.findUnique({ where: { id } }),

    findOwned: (accountId: string, id: string) => db.channel.findFirst({ where: { id, accountId } }),

    /** Which of these ids are channels of the account. */
    ownedIds: async (accountId: string, ids: string[]): Promise<string[]> =>
      (await db.channel.findMany({ where: { accountId, id: { in: ids } }, select: { id: true } })).map((row) => row.id),

    listOwned: (accountId: string, options: { limit: number; after?: string }) =>
      db.channel.findMany({
        where: { accountId, ...(options.after ? { id: { gt: options.after } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit,
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

    /** Deletes an account's channel; false when the account has no such channel. */
    deleteOwned: async (accountId: string, id: string): Promise<boolean> => (await db.channel.deleteMany({ where: { id, accountId } })).count === 1,
  };
}

export type ChannelRepository = ReturnType<typeof createChannelRepository>;
export type StoredChannel = NonNullable<Awaited<ReturnType<ChannelRepository['findOwned']>>>;
