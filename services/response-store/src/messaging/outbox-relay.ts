import type { Broker } from '@pingback/broker';
import type { Envelope } from '@pingback/contracts';
import { createOutboxRelay as createDurableOutboxRelay, type OutboxRow } from '@pingback/durable';
import type { Logger } from 'pino';
import type { OutboxRepository } from '../data/outbox.repository';
import { CALLBACK_ROUTING_KEY, COMMANDS_EXCHANGE } from '../domain/submit-answer';

// The exchange of each publication response-store writes to its outbox (a row's publication is its routing key).
const EXCHANGES: Readonly<Record<string, string>> = { [CALLBACK_ROUTING_KEY]: COMMANDS_EXCHANGE };

function publishTo(broker: Broker) {
  return async (row: OutboxRow): Promise<void> => {
    const exchange = EXCHANGES[row.publication];
    if (!exchange) throw new Error(`outbox row ${row.id} names an unknown publication "${row.publication}"`);
    await broker.publish(exchange, row.publication, row.envelope as Envelope);
  };
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
