import { MAX_INCOMING_WEBHOOKS } from '@pingback/contracts';
import type { IncomingWebhook, Prisma } from '../generated/prisma/client';
import type { GatewayDb } from './prisma';

export type StoredIncomingWebhook = IncomingWebhook;
export type NewIncomingWebhook = Omit<Prisma.IncomingWebhookUncheckedCreateInput, 'actionNumber'>;

/** A room's incoming webhooks (seed 004): at most four, one per quick action. */
export function createIncomingWebhookRepository(db: GatewayDb) {
  return {
    /**
     * Takes the lowest free action number 1–4; null when all four are taken. Two creations at once may pick the
     * same number: the unique (room, action) index refuses one, which tries the next number.
     */
    async create(webhook: NewIncomingWebhook): Promise<StoredIncomingWebhook | null> {
      for (;;) {
        const taken = new Set((await db.incomingWebhook.findMany({ where: { roomId: webhook.roomId }, select: { actionNumber: true } })).map((w) => w.actionNumber));
        const free = [...Array(MAX_INCOMING_WEBHOOKS).keys()].map((i) => i + 1).find((n) => !taken.has(n));
        if (free === undefined) return null;
        try {
          return await db.incomingWebhook.create({ data: { ...webhook, actionNumber: free } });
        } catch (err) {
          if ((err as { code?: string }).code !== 'P2002') throw err;
        }
      }
    },

    list: (roomId: string) => db.incomingWebhook.findMany({ where: { roomId }, orderBy: { actionNumber: 'asc' } }),

    find: (roomId: string, id: string) => db.incomingWebhook.findFirst({ where: { roomId, id } }),

    /** The webhook of a room with this action number, if any (a fire may name another quick action). */
    findByAction: (roomId: string, actionNumber: number) => db.incomingWebhook.findUnique({ where: { roomId_actionNumber: { roomId, actionNumber } } }),

    /** The fire path: the secret's hash under each configured key, by the unique index. */
    findBySecretHash: (hashes: string[]) => db.incomingWebhook.findFirst({ where: { secretHash: { in: hashes } } }),

    update: async (roomId: string, id: string, data: Prisma.IncomingWebhookUpdateManyMutationInput): Promise<StoredIncomingWebhook | null> => {
      const { count } = await db.incomingWebhook.updateMany({ where: { roomId, id }, data });
      return count === 1 ? db.incomingWebhook.findUnique({ where: { id } }) : null;
    },

    delete: async (roomId: string, id: string): Promise<boolean> => (await db.incomingWebhook.deleteMany({ where: { roomId, id } })).count === 1,
  };
}

export type IncomingWebhookRepository = ReturnType<typeof createIncomingWebhookRepository>;
