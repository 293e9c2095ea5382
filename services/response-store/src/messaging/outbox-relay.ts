import type { Broker } from '@pingback/broker';
import { publicationNamed, type Envelope } from '@pingback/contracts';
import { createOutboxRelay as createDurableOutboxRelay, type OutboxRow } from '@pingback/durable';
import type { Logger } from 'pino';
import type { OutboxRepository } from '../data/outbox.repository';

/** A row names its publication by routing key; the envelope is published exactly as it was stored. */
function publishTo(broker: Broker) {
  return (row: OutboxRow): Promise<void> => broker.publishEnvelope(publicationNamed(row.publication), row.envelope as Envelope);
}

/**
 * Publishes the outbox (libs/durable's relay: rows locked per round, so two copies never publish the same row)
 * on a timer and whenever a transaction added rows (`kick`).
 */
export function createOutboxRelay(deps: { outbox: OutboxRepository; broker: Broker; logger: Logger; intervalMs: number }) {
  return createDurableOutboxRelay({
    db: deps.outbox.db,
    outbox: deps.outbox.table,
    publish: publishTo(deps.broker),
    logger: deps.logger,
    intervalMs: deps.intervalMs,
  });
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
