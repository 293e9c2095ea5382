import type { GatewayDb } from './prisma';

export interface ActiveSession {
  id: string;
  accountId: string;
  apiKeyId: string;
  /** The name of the key it was signed in with. */
  apiKeyName: string | null;
}

/** Dashboard sessions, looked up like API keys by the HMAC of their `pbs_` token. */
export function createDashboardSessionRepository(db: GatewayDb) {
  return {
    create: (session: { id: string; tokenHash: string; apiKeyId: string; expiresAt: Date }) => db.dashboardSession.create({ data: session }),

    /** The session a token is (by any of its hashes), while it has not expired and its API key is not revoked. */
    findActive: async (hashes: string[], now: Date): Promise<ActiveSession | null> => {
      const found = await db.dashboardSession.findFirst({
        where: { tokenHash: { in: hashes }, expiresAt: { gt: now }, apiKey: { revokedAt: null } },
        select: { id: true, apiKey: { select: { id: true, accountId: true, name: true } } },
      });
      return found ? { id: found.id, accountId: found.apiKey.accountId, apiKeyId: found.apiKey.id, apiKeyName: found.apiKey.name } : null;
    },

    delete: (hashes: string[]) => db.dashboardSession.deleteMany({ where: { tokenHash: { in: hashes } } }),

    /** Sessions past their end are never read again; each sign-in clears them so the table stays small. */
    deleteExpired: (now: Date) => db.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } }),
  };
}

export type DashboardSessionRepository = ReturnType<typeof createDashboardSessionRepository>;
