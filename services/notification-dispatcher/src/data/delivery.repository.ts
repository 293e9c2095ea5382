import type { NotificationPayload } from '@pingback/contracts';
import type { DispatcherDb } from './prisma';

export type DeliveryOutcome =
  | { kind: 'delivered'; attempt: number; at: Date }
  | { kind: 'retrying'; attempt: number; error: string }
  | { kind: 'failed'; attempts: number; error: string };

export function createDeliveryRepository(db: DispatcherDb) {
  return {
    /** Records messages and their deliveries once, in one transaction; a web inbox delivery is delivered on arrival. */
    async recordOnce(payloads: NotificationPayload[], now: Date): Promise<void> {
      await db.$transaction([
        db.message.createMany({
          data: payloads.map((payload) => ({
            id: payload.messageId,
            accountId: payload.accountId,
            channelId: payload.channelId,
            title: payload.title,
            createdAt: new Date(payload.createdAt),
          })),
          skipDuplicates: true,
        }),
        db.delivery.createMany({
          data: payloads.flatMap((payload) => payload.deliveries.map((d) => ({
            id: d.id,
            messageId: payload.messageId,
            kind: d.kind,
            destinationId: d.destinationId,
            url: d.url,
            status: d.kind === 'web' ? 'delivered' : 'pending',
            deliveredAt: d.kind === 'web' ? now : null,
          }))),
          skipDuplicates: true,
        }),
      ]);
    },

    /**
     * Applies delivery outcomes, all in one transaction; a final state (delivered, failed) is never overwritten by
     * a late event.
     */
    async applyOutcomes(outcomes: { deliveryId: string; outcome: DeliveryOutcome }[]): Promise<void> {
      if (outcomes.length === 0) return;
      await db.$transaction(outcomes.map(({ deliveryId, outcome }) => outcomeUpdate(db, deliveryId, outcome)));
    },

    findMessage: (id: string) => db.message.findUnique({ where: { id }, include: { deliveries: { orderBy: { id: 'asc' } } } }),
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;

function outcomeUpdate(db: DispatcherDb, deliveryId: string, outcome: DeliveryOutcome) {
  const open = { id: deliveryId, status: { in: ['pending', 'retrying'] } };
  switch (outcome.kind) {
    case 'delivered':
      return db.delivery.updateMany({ where: open, data: { status: 'delivered', attempts: outcome.attempt, deliveredAt: outcome.at, updatedAt: outcome.at } });
    case 'retrying':
      return db.delivery.updateMany({ where: open, data: { status: 'retrying', attempts: outcome.attempt, lastError: outcome.error, updatedAt: new Date() } });
    case 'failed':
      return db.delivery.updateMany({ where: open, data: { status: 'failed', attempts: outcome.attempts, lastError: outcome.error, updatedAt: new Date() } });
  }
}
