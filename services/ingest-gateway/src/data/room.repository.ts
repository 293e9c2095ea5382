import type { Prisma } from '../generated/prisma/client';
import type { GatewayDb } from './prisma';

const WITH_COUNTS = { _count: { select: { members: true, webhooks: true } } } as const satisfies Prisma.RoomInclude;

export type StoredRoom = Prisma.RoomGetPayload<{ include: typeof WITH_COUNTS }>;

/** Rooms and their members (seed 004). Every read of an owner's room goes through its account. */
export function createRoomRepository(db: GatewayDb) {
  return {
    /** False when the invite code is taken (the caller draws another). */
    async create(room: { id: string; accountId: string; name: string; inviteCode: string }): Promise<StoredRoom | null> {
      try {
        return await db.room.create({ data: room, include: WITH_COUNTS });
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') return null;
        throw err;
      }
    },

    countOwned: (accountId: string) => db.room.count({ where: { accountId } }),

    findOwned: (accountId: string, inviteCode: string) => db.room.findFirst({ where: { accountId, inviteCode }, include: WITH_COUNTS }),

    /** The fire path: one query by the unique index. */
    findByCode: (inviteCode: string) => db.room.findUnique({ where: { inviteCode } }),

    findById: (id: string) => db.room.findUnique({ where: { id } }),

    listOwned: (accountId: string, options: { limit: number; after?: string }) =>
      db.room.findMany({
        where: { accountId, ...(options.after ? { id: { gt: options.after } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit,
        include: WITH_COUNTS,
      }),

    rename: async (accountId: string, id: string, name: string): Promise<boolean> =>
      (await db.room.updateMany({ where: { id, accountId }, data: { name } })).count === 1,

    /** Its members, webhooks and pings go with it (foreign keys cascade). */
    deleteOwned: async (accountId: string, id: string): Promise<boolean> => (await db.room.deleteMany({ where: { id, accountId } })).count === 1,

    /** A page of members by channel id. */
    listMembers: (roomId: string, options: { limit: number; after?: string }) =>
      db.roomMember.findMany({
        where: { roomId, ...(options.after ? { channelId: { gt: options.after } } : {}) },
        orderBy: { channelId: 'asc' },
        take: options.limit,
        include: { channel: { select: { name: true } } },
      }),

    findMember: (roomId: string, channelId: string) =>
      db.roomMember.findUnique({ where: { roomId_channelId: { roomId, channelId } }, include: { channel: { select: { name: true } } } }),

    countMembers: (roomId: string) => db.roomMember.count({ where: { roomId } }),

    /** Adding a member twice changes nothing; answers whether it was added now. */
    async addMember(roomId: string, channelId: string): Promise<boolean> {
      const { count } = await db.roomMember.createMany({ data: [{ roomId, channelId }], skipDuplicates: true });
      return count === 1;
    },

    removeMember: async (roomId: string, channelId: string): Promise<boolean> =>
      (await db.roomMember.deleteMany({ where: { roomId, channelId } })).count === 1,

    /** The channels a ping goes to. */
    memberChannels: async (roomId: string) => (await db.roomMember.findMany({ where: { roomId }, include: { channel: true } })).map((member) => member.channel),

    updateOutgoing: (id: string, data: Prisma.RoomUpdateInput) => db.room.update({ where: { id }, data }),

    /** Replaces the outgoing signing secret only if it is still `current`: of two rotations at once, one wins. */
    replaceOutgoingSecret: async (
      id: string,
      current: string | null,
      next: { outgoingSecret: string; previousOutgoingSecret: string | null; previousOutgoingSecretValidUntil: Date | null; outgoingUpdatedAt: Date },
    ): Promise<boolean> => (await db.room.updateMany({ where: { id, outgoingSecret: current }, data: next })).count === 1,

    listPings: (roomId: string, options: { limit: number; before?: string }) =>
      db.roomPing.findMany({
        where: { roomId, ...(options.before ? { id: { lt: options.before } } : {}) },
        orderBy: { id: 'desc' },
        take: options.limit,
      }),
  };
}

export type RoomRepository = ReturnType<typeof createRoomRepository>;
