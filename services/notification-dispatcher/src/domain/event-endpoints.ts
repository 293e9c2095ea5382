import { DomainError, notFoundError, type EventEndpointView } from '@pingback/contracts';
import { decryptSecret, encryptSecret, generateSecret, newId, type Keyring } from '@pingback/security';
import type { DispatcherDb } from '../data/prisma';

/** How long a rotated secret still signs, as a second `v1,` entry (CONTRACT §6). */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

type StoredEndpoint = Awaited<ReturnType<DispatcherDb['eventEndpoint']['findFirstOrThrow']>>;

const view = (endpoint: StoredEndpoint, secret?: string): EventEndpointView => ({
  id: endpoint.id,
  url: endpoint.url,
  disabled_at: endpoint.disabledAt?.toISOString() ?? null,
  created_at: endpoint.createdAt.toISOString(),
  ...(secret ? { signing_secret: secret } : {}),
});

/** An account's event endpoints (seed 003's "webhook endpoint URL"): every delivery event of a send without `events_url` goes to each. */
export function createEventEndpoints(db: DispatcherDb, keyring: Keyring) {
  const owned = async (accountId: string, id: string) => {
    const endpoint = await db.eventEndpoint.findFirst({ where: { id, accountId } });
    if (!endpoint) throw notFoundError('endpoint');
    return endpoint;
  };
  return {
    /** The URL was checked for SSRF by the gateway. Adds to one account take turns, so `max` holds. */
    async create(accountId: string, url: string, max: number): Promise<EventEndpointView> {
      const secret = generateSecret('whsec_');
      const created = await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${accountId}, 1))`;
        if ((await tx.eventEndpoint.count({ where: { accountId } })) >= max) return null;
        return tx.eventEndpoint.create({ data: { id: newId('ep_'), accountId, url, signingSecret: encryptSecret(keyring, secret) } });
      });
      if (!created) throw new DomainError('endpoint_limit_reached', `an account has at most ${max} event endpoints: delete one first`, { limit: max });
      return view(created, secret);
    },
    list: async (accountId: string) => (await db.eventEndpoint.findMany({ where: { accountId }, orderBy: { id: 'asc' } })).map((e) => view(e)),
    get: async (accountId: string, id: string) => {
      const endpoint = await owned(accountId, id);
      return view(endpoint, decryptSecret(keyring, endpoint.signingSecret));
    },
    /** Events go there again (after webhook-deliverer switched it off: a 410, or too many failures in a row). */
    async enable(accountId: string, id: string, at: Date): Promise<EventEndpointView> {
      await owned(accountId, id);
      await db.eventEndpoint.updateMany({ where: { id, accountId }, data: { disabledAt: null, enabledAt: at } });
      return view(await owned(accountId, id));
    },
    remove: async (accountId: string, id: string) => (await db.eventEndpoint.deleteMany({ where: { id, accountId } })).count,
    /** The new secret signs at once; the old one also signs for 24 h. Of two rotations at once, one wins and the other retries. */
    async rotate(accountId: string, id: string, now: Date): Promise<EventEndpointView> {
      const secret = generateSecret('whsec_');
      for (;;) {
        const current = await owned(accountId, id);
        const { count } = await db.eventEndpoint.updateMany({
          where: { id, accountId, signingSecret: current.signingSecret },
          data: { signingSecret: encryptSecret(keyring, secret), previousSigningSecret: current.signingSecret, previousSecretValidUntil: new Date(now.getTime() + SECRET_OVERLAP_MS) },
        });
        if (count === 1) return view(await owned(accountId, id), secret);
      }
    },
    /** What webhook-deliverer signs with: the current secret, and the previous one during its overlap (encrypted). */
    async signerSecrets(id: string, now: Date): Promise<string[] | null> {
      const endpoint = await db.eventEndpoint.findUnique({ where: { id } });
      if (!endpoint) return null;
      const previous = endpoint.previousSigningSecret && endpoint.previousSecretValidUntil && endpoint.previousSecretValidUntil > now ? [endpoint.previousSigningSecret] : [];
      return [endpoint.signingSecret, ...previous];
    },
  };
}

export type EventEndpoints = ReturnType<typeof createEventEndpoints>;
