import type { ConsumeMessage } from 'amqplib';
import type { BatchHandler } from './consume-context';
import { processDelivery, type DeliveryContext } from './delivery';

/** Batches one consumer of a queue at once: a second may start while the first commits. */
const CONCURRENT_BATCHES = 2;

export interface Batcher {
  add(message: ConsumeMessage): void;
}

/**
 * Collects a consumer's deliveries into batches: whatever arrived by the next turn of the event loop, up to
 * `maxBatch` (the queue's prefetch). A batch of valid messages goes to the batch handler at once, typically one
 * transaction, and each message is acked once it returns. When it throws, nothing of it is assumed done: each
 * message then runs alone through the single-message path (the handler with a batch of one), which retries or
 * parks it on its own. Handlers are idempotent, so a message whose batch half succeeded is not doubled, and a
 * poison message cannot hold the others back.
 */
export function createBatcher(
  context: DeliveryContext,
  handler: BatchHandler<unknown>,
  maxBatch: number,
  track: (work: Promise<void>) => void,
): Batcher {
  const waiting: ConsumeMessage[] = [];
  let scheduled = false;
  let running = 0;

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const flush = (): void => {
    scheduled = false;
    while (waiting.length > 0 && running < CONCURRENT_BATCHES) {
      const batch = waiting.splice(0, maxBatch);
      running++;
      track(
        run(batch).finally(() => {
          running--;
          if (waiting.length > 0) schedule();
        }),
      );
    }
  };

  const alone = (message: ConsumeMessage): Promise<void> => processDelivery(context, message);

  async function run(batch: ConsumeMessage[]): Promise<void> {
    const parsed = batch.map((message) => ({ message, body: parse(context, message) }));
    const valid = parsed.filter((entry) => entry.body.ok);
    // Unreadable messages park through the single path; so does a batch of one (no gain in batching it).
    const singles = parsed.filter((entry) => !entry.body.ok).map((entry) => entry.message);
    if (valid.length <= 1) {
      await Promise.all([...singles, ...valid.map((entry) => entry.message)].map(alone));
      return;
    }
    await Promise.all(singles.map(alone));
    const { session, metrics } = context;
    const queue = context.queue.name;
    try {
      await handler(valid.map((entry) => (entry.body as { ok: true; value: unknown }).value));
    } catch (error) {
      context.logger.info({ queue, size: valid.length, err: error }, 'a batch failed; handling its messages one by one');
      await Promise.all(valid.map((entry) => alone(entry.message)));
      return;
    }
    // A lost session cannot ack: RabbitMQ redelivers these, and the handlers are idempotent.
    if (session.lost) return;
    for (const { message } of valid) {
      try {
        session.consumeChannel.ack(message);
      } catch {
        return; // the channel closed meanwhile: RabbitMQ redelivers what was not acked
      }
    }
    metrics.consumed.inc({ queue }, valid.length);
    metrics.acked.inc({ queue }, valid.length);
  }

  return {
    add(message) {
      waiting.push(message);
      if (waiting.length >= maxBatch) flush();
      else schedule();
    },
  };
}

function parse(context: DeliveryContext, message: ConsumeMessage): { ok: true; value: unknown } | { ok: false } {
  try {
    const result = context.subscription.schema.safeParse(JSON.parse(message.content.toString('utf8')));
    return result.success ? { ok: true, value: result.data } : { ok: false };
  } catch {
    return { ok: false };
  }
}
