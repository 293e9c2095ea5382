import type { Broker } from '@pingback/broker';
import { publicationNamed, type Envelope } from '@pingback/contracts';
import { createOutboxRelay, type Outbox, type OutboxRow, type SqlClient, type TransactionalDb } from '@pingback/durable';
import type { Logger } from '@pingback/observability';

/**
 * Publishes a service's outbox (libs/durable's relay) to the broker, on a timer and whenever a transaction added
 * rows: each row names its publication by routing key and carries its envelope.
 */
export function createBrokerOutboxRelay<Tx extends SqlClient>(deps: { db: TransactionalDb<Tx>; outbox: Outbox; broker: Broker; logger: Logger; intervalMs: number }) {
  return createOutboxRelay({
    db: deps.db,
    outbox: deps.outbox,
    publish: (row: OutboxRow) => deps.broker.publishEnvelope(publicationNamed(row.publication), row.envelope as Envelope),
    logger: deps.logger,
    intervalMs: deps.intervalMs,
  });
}
