import type { ResponsesDb } from './prisma';

export function createOutboxRepository(db: ResponsesDb) {
  return {
    oldest: (limit: number) => db.outboxMessage.findMany({ orderBy: { createdAt: 'asc' }, take: limit }),
    remove: (id: string) => db.outboxMessage.deleteMany({ where: { id } }),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
