import { GATEWAY_SCHEMA, type GatewayDb } from './prisma';

export interface NewApiKey {
  id: string;
  keyHash: string;
  /** The key's last characters, so its owner can tell keys apart; never enough to use it. */
  hint: string;
  name: string | null;
}

/** Outcome of revoking a key: the last active key of an account is never revoked (it would lock the account out). */
export type RevokeOutcome = 'revoked' | 'not_found' | 'last_key';

export function createAccountRepository(db: GatewayDb) {
  return {
    createWithKey: (account: { id: string; name: string }, key: NewApiKey) => db.account.create({ data: { ...account, apiKeys: { create: key } } }),

    addKey: (accountId: string, key: NewApiKey) => db.apiKey.create({ data: { ...key, accountId } }),

    /** The active API key a value is, looked up by any of its hashes (one per secret key). */
    findActiveKey: (hashes: string[]): Promise<{ id: string; accountId: string; name: string | null } | null> =>
      db.apiKey.findFirst({ where: { keyHash: { in: hashes }, revokedAt: null }, select: { id: true, accountId: true, name: true } }),

    listActiveKeys: (accountId: string, options: { limit: number; after?: string }) =>
      db.apiKey.findMany({
        where: { accountId, revokedAt: null, ...(options.after ? { id: { gt: options.after } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit,
        select: { id: true, name: true, hint: true, createdAt: true },
      }),

    /**
     * Revokes one active key of the account unless it is the account's last. The account row is locked first,
     * so two revocations at once cannot each see the other's key still active and leave none.
     */
    revokeKey: (accountId: string, keyId: string, at: Date): Promise<RevokeOutcome> =>
      db.$transaction(async (tx) => {
        await tx.$queryRawUnsafe(`SELECT id FROM "${GATEWAY_SCHEMA}"."accounts" WHERE id = $1 FOR UPDATE`, accountId);
        const key = await tx.apiKey.findFirst({ where: { id: keyId, accountId, revokedAt: null }, select: { id: true } });
        if (!key) return 'not_found';
        const active = await tx.apiKey.count({ where: { accountId, revokedAt: null } });
        if (active <= 1) return 'last_key';
        await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: at } });
        return 'revoked';
      }),

    ...accountSigningSecretQueries(db),
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;

// ---- The account's signing secret (issue 15): signs what belongs to no channel, such as approval events. ----

/** What an account keeps of its signing secrets, encrypted; `signingSecret` is null until first needed. */
export interface StoredAccountSecrets {
  signingSecret: string | null;
  previousSigningSecret: string | null;
  previousSecretValidUntil: Date | null;
}

function accountSigningSecretQueries(db: GatewayDb) {
  return {
    /** The account's signing secrets; null when there is no such account. */
    findSigningSecrets: (accountId: string): Promise<StoredAccountSecrets | null> =>
      db.account.findUnique({ where: { id: accountId }, select: { signingSecret: true, previousSigningSecret: true, previousSecretValidUntil: true } }),

    /**
     * Sets the signing secret only if it is still `current` (null: the account has none yet). Of two first uses
     * or two rotations at once, one wins and none is lost; false for the other, and for an unknown account.
     */
    replaceSigningSecret: async (
      accountId: string,
      current: string | null,
      next: { signingSecret: string; previousSigningSecret: string | null; previousSecretValidUntil: Date | null },
    ): Promise<boolean> => (await db.account.updateMany({ where: { id: accountId, signingSecret: current }, data: next })).count === 1,
  };
}
