import { defineOutbox } from '@pingback/durable';
import { RESPONSES_SCHEMA, type ResponsesDb } from './prisma';

/** response-store's outbox (libs/durable): rows written in the answer's transaction, published by the relay. */
export const responsesOutbox = defineOutbox({ schema: RESPONSES_SCHEMA });

export function createOutboxRepository(db: ResponsesDb) {
  return { db, table: responsesOutbox };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
