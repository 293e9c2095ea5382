import type { Broker } from '@pingback/broker';
import { publicationAt, type Envelope } from '@pingback/contracts';
import type { Logger } from 'pino';
import type { OutboxRepository } from '../data/outbox.repository';

const BATCH = 100;

/**
 * Publishes outbox rows and deletes each once the broker confirmed it. Runs on a timer and whenever a
 * transaction added rows (`kick`). A crash between confirm and delete publishes a row twice: consumers
 * deduplicate by id, so that is safe; a row is never dropped.
 */
export function createOutboxRelay(deps: { outbox: OutboxRepository; broker: Broker; logger: Logger; intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  async function drain(): Promise<void> {
    do {
      again = false;
      const rows = await deps.outbox.oldest(BATCH);
      for (const row of rows) {
        await deps.broker.publishEnvelope(publicationAt(row.exchange, row.routingKey), row.envelope as Envelope);
        await deps.outbox.remove(row.id);
      }
      if (rows.length === BATCH) again = true;
    } while (again);
  }

  function kick(): void {
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'outbox relay will retry'))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    kick,
    start() {
      timer = setInterval(kick, deps.intervalMs);
      kick();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
