import type { GatewayDb } from './prisma';

export function createAccountRepository(db: GatewayDb) {
  return {
    createWithKey: (account: { id: string; name: string }, key: { id: string; keyHash: string; name: string | null }) =>
      db.account.create({ data: { ...account, apiKeys: { create: key } } }),

    addKey: (accountId: string, key: { id: string; keyHash: string; name: string | null }) =>
      db.apiKey.create({ data: { ...key, accountId } }),

    /** The account of an active API key, looked up by any of the key's hashes (one per secret key). */
    findAccountIdByKeyHash: async (hashes: string[]): Promise<string | null> => {
      const key = await db.apiKey.findFirst({ where: { keyHash: { in: hashes }, revokedAt: null }, select: { accountId: true } });
      return key?.accountId ?? null;
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
