import type { Broker } from '@pingback/broker';
import { publicationNamed, type Envelope } from '@pingback/contracts';
import { createOutboxRelay as createDurableOutboxRelay, type OutboxRow } from '@pingback/durable';
import type { Logger } from 'pino';
import { trackerOutbox } from '../data/durable-tables';
import type { TrackerDb } from '../data/prisma';

/** Publishes the tracker's outbox (libs/durable's relay) on a timer and whenever a transaction added rows. */
export function createOutboxRelay(deps: { db: TrackerDb; broker: Broker; logger: Logger; intervalMs: number }) {
  return createDurableOutboxRelay({
    db: deps.db,
    outbox: trackerOutbox,
    publish: (row: OutboxRow) => deps.broker.publishEnvelope(publicationNamed(row.publication), row.envelope as Envelope),
    logger: deps.logger,
    intervalMs: deps.intervalMs,
  });
}
