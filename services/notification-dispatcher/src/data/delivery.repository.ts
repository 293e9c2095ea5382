import type { NotificationPayload } from '@pingback/contracts';
import type { DispatcherDb } from './prisma';

export type DeliveryOutcome =
  | { kind: 'delivered'; attempt: number; at: Date }
  | { kind: 'retrying'; attempt: number; error: string }
  | { kind: 'failed'; attempts: number; error: string };

export function createDeliveryRepository(db: DispatcherDb) {
  return {
    /** Records a message and its deliveries once; the web inbox delivery is delivered on arrival. */
    async recordOnce(payload: NotificationPayload, now: Date): Promise<void> {
      await db.$transaction([
        db.message.createMany({
          data: [{ id: payload.messageId, accountId: payload.accountId, channelId: payload.channelId, title: payload.title, createdAt: new Date(payload.createdAt) }],
          skipDuplicates: true,
        }),
        db.delivery.createMany({
          data: payload.deliveries.map((d) => ({
            id: d.id,
            messageId: payload.messageId,
            kind: d.kind,
            destinationId: d.destinationId,
            url: d.url,
            status: d.kind === 'web' ? 'delivered' : 'pending',
            deliveredAt: d.kind === 'web' ? now : null,
          })),
          skipDuplicates: true,
        }),
      ]);
    },

    /** Applies a delivery outcome; a final state (delivered, failed) is never overwritten by a late event. */
    async applyOutcome(deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
      const open = { id: deliveryId, status: { in: ['pending', 'retrying'] } };
      switch (outcome.kind) {
        case 'delivered':
          await db.delivery.updateMany({ where: open, data: { status: 'delivered', attempts: outcome.attempt, deliveredAt: outcome.at, updatedAt: outcome.at } });
          return;
        case 'retrying':
          await db.delivery.updateMany({ where: open, data: { status: 'retrying', attempts: outcome.attempt, lastError: outcome.error, updatedAt: new Date() } });
          return;
        case 'failed':
          await db.delivery.updateMany({ where: open, data: { status: 'failed', attempts: outcome.attempts, lastError: outcome.error, updatedAt: new Date() } });
      }
    },

    findMessage: (id: string) => db.message.findUnique({ where: { id }, include: { deliveries: { orderBy: { id: 'asc' } } } }),
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
