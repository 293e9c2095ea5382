import type { CarriedAction, NotificationPayload } from '@pingback/contracts';
import { messageIdOfDelivery } from '@pingback/security';
import type { OutboxEntry } from '@pingback/durable';
import type { Message, Prisma } from '../generated/prisma/client';
import { responsesOutbox } from './outbox.repository';
import type { ResponsesDb } from './prisma';

export type StoredMessage = Message;

export interface AcceptedAnswer {
  deliveryId: string;
  triggeredBy: string;
  responses: Record<string, string>;
  answeredAt: Date;
}

export type { OutboxEntry };

export const actionsOf = (message: StoredMessage): CarriedAction[] => message.actions as CarriedAction[];
export const responsesOf = (message: StoredMessage): Record<string, string> => (message.responses ?? {}) as Record<string, string>;

export function createMessageRepository(db: ResponsesDb) {
  return {
    /**
     * Records messages and their deliveries once, in one transaction however many there are; a redelivered
     * command changes nothing.
     */
    async recordOnce(payloads: NotificationPayload[]): Promise<void> {
      const channelIds = [...new Set(payloads.map((payload) => payload.channelId))].sort();
      // A message of a channel deleted meanwhile (its send was still queued) is recorded already closed; the
      // channel's advisory lock orders this against closeChannel, so no message of a deleted channel stays open.
      // Locks are taken in one order (sorted ids), so two batches cannot deadlock.
      await db.$transaction(async (tx) => {
        for (const channelId of channelIds) await lockChannel(tx, channelId, 'shared');
        const closed = new Map(
          (await tx.closedChannel.findMany({ where: { channelId: { in: channelIds } } })).map((row) => [row.channelId, row.closedAt]),
        );
        await tx.message.createMany({
          data: payloads.map((payload) => {
            const expiresAt = new Date(payload.expiresAt);
            const closedAt = closed.get(payload.channelId);
            return {
              id: payload.messageId,
              accountId: payload.accountId,
              channelId: payload.channelId,
              title: payload.title,
              body: payload.body,
              priority: payload.priority,
              actions: payload.actions as Prisma.InputJsonValue,
              callbackUrl: payload.callbackUrl,
              createdAt: new Date(payload.createdAt),
              expiresAt: closedAt && closedAt < expiresAt ? closedAt : expiresAt,
              callbackState: payload.callbackUrl ? 'pending' : 'none',
            };
          }),
          skipDuplicates: true,
        });
        await tx.delivery.createMany({
          data: payloads.flatMap((payload) => payload.deliveries.map((d) => ({ id: d.id, messageId: payload.messageId, kind: d.kind }))),
          skipDuplicates: true,
        });
      });
    },

    findById: (id: string) => db.message.findUnique({ where: { id } }),

    async findByDeliveryId(deliveryId: string): Promise<StoredMessage | null> {
      // The dispatcher's deliveries (every destination but the web inbox) have derived ids that name their message.
      const messageId = messageIdOfDelivery(deliveryId);
      if (messageId) return db.message.findUnique({ where: { id: messageId } });
      const delivery = await db.delivery.findUnique({ where: { id: deliveryId }, include: { message: true } });
      return delivery?.message ?? null;
    },

    /**
     * The first answer wins: a conditional update from "pending" while the window is open. The outbox
     * entries (the callback, when there is one) commit in the same transaction, so none is lost.
     */
    async acceptAnswer(messageId: string, answer: AcceptedAnswer, outbox: (message: StoredMessage) => OutboxEntry[]): Promise<StoredMessage | null> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.message.updateMany({
          where: { id: messageId, status: 'pending', expiresAt: { gt: answer.answeredAt } },
          data: {
            status: 'answered',
            answeredAt: answer.answeredAt,
            answeredVia: answer.deliveryId,
            triggeredBy: answer.triggeredBy,
            responses: answer.responses,
          },
        });
        if (count === 0) return null;
        const message = await tx.message.findUniqueOrThrow({ where: { id: messageId } });
        await responsesOutbox.append(tx, outbox(message));
        return message;
      });
    },

    /** Marks an answer read if it is still readable; true for exactly one caller. */
    async markReadOnce(messageId: string, now: Date, readWindowMs: number): Promise<boolean> {
      const windowStart = new Date(now.getTime() - readWindowMs);
      const { count } = await db.message.updateMany({
        where: {
          id: messageId,
          status: 'answered',
          readAt: null,
          OR: [
            { callbackState: 'none', answeredAt: { gt: windowStart } },
            { callbackState: 'pending' },
            { callbackState: 'succeeded', callbackSettledAt: { gt: windowStart } },
          ],
        },
        data: { readAt: now },
      });
      return count === 1;
    },

    /** Records how the answer's callback ended; only the first outcome counts. */
    async settleCallbacks(settled: { messageId: string; outcome: 'succeeded' | 'failed'; at: Date }[]): Promise<void> {
      if (settled.length === 0) return;
      await db.$transaction(
        settled.map(({ messageId, outcome, at }) =>
          db.message.updateMany({ where: { id: messageId, callbackState: 'pending' }, data: { callbackState: outcome, callbackSettledAt: at } }),
        ),
      );
    },

    /** An account's messages (or one channel's), newest first: ids are time-ordered, so the cursor is an id. */
    listMessages: (filter: { accountId: string; channelId?: string; before?: string; limit: number }) =>
      db.message.findMany({
        where: {
          accountId: filter.accountId,
          ...(filter.channelId ? { channelId: filter.channelId } : {}),
          ...(filter.before ? { id: { lt: filter.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: filter.limit,
      }),

    /** Closes a deleted channel: its open messages expire now, and so will any recorded after this. */
    closeChannel: (channelId: string, now: Date): Promise<number> =>
      db.$transaction(async (tx) => {
        await lockChannel(tx, channelId, 'exclusive');
        await tx.closedChannel.createMany({ data: [{ channelId, closedAt: now }], skipDuplicates: true });
        const { count } = await tx.message.updateMany({ where: { channelId, status: 'pending', expiresAt: { gt: now } }, data: { expiresAt: now } });
        return count;
      }),

    /** A channel's messages, newest first (ids sort by time), older than `before` when given. */
    messagesOfChannel: (channelId: string, before: string | undefined, limit: number) =>
      db.message.findMany({
        where: { channelId, ...(before ? { id: { lt: before } } : {}) },
        orderBy: { id: 'desc' },
        take: limit,
        include: { deliveries: { where: { kind: 'web' } } },
      }),
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;

/** The first key of response-store's advisory locks, so they never meet another lock on the same database. */
const CHANNEL_LOCK_SPACE = 0x72_73_63_68;

/** Serialises the writes of one channel's recording and closing, for the length of the transaction. */
/**
 * Recording takes a channel's lock shared (recordings of one channel run side by side, across copies); closing
 * a channel takes it exclusive, so it waits for the recordings under way and they wait for it.
 */
async function lockChannel(tx: Prisma.TransactionClient, channelId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'shared') await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${CHANNEL_LOCK_SPACE}::int4, hashtext(${channelId}))`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANNEL_LOCK_SPACE}::int4, hashtext(${channelId}))`;
}
