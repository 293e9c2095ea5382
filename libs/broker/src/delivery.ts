import type { ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { ConsumeContext, QueueHandler } from './consume-context';
import { NonRetryableError, RetryableError, UnroutableError } from './errors';
import { attemptsMade, describeError, HEADER, infrastructureRetriesMade, type ParkedReason } from './headers';
import type { BrokerMetrics } from './metrics';
import { parkedQueueName, retryQueueName } from './queue-names';
import { republished } from './republished';
import { infrastructureRetryDelayMs, retryDelayMs } from './retry-delay';
import type { Session } from './session';
import { maxAttemptsOf, type QueueSpec } from './topology';

/** How long a message whose retry or parking could not be recorded waits before going back to its queue. */
const REQUEUE_PAUSE_MS = 1_000;

export interface DeliveryContext {
  session: Session;
  queue: QueueSpec;
  subscription: QueueHandler<unknown>;
  metrics: BrokerMetrics;
  logger: Logger;
  isTransientError: (error: unknown) => boolean;
}

type Outcome =
  | { kind: 'handled' }
  /**
   * `attempt`: the count the retried message carries (a failure of our infrastructure spends none);
   * `infrastructureRetries`: consecutive infrastructure failures so far (0 after a failure of the message).
   */
  | { kind: 'retry'; delayMs: number; error: unknown; attempt: number; infrastructureRetries: number }
  | { kind: 'park'; reason: ParkedReason; error: unknown };

/**
 * Runs one delivery through parse → schema → handler, then records the outcome: ack on success; otherwise the
 * message is first republished, confirmed, to a delay queue or the parking queue, and only then acked, so a
 * crash in between leaves a duplicate at worst, never a loss.
 */
export async function processDelivery(context: DeliveryContext, message: ConsumeMessage): Promise<void> {
  const queue = context.queue.name;
  context.metrics.consumed.inc({ queue });
  const headers: Record<string, unknown> = { ...(message.properties.headers ?? {}) };
  const attempt = attemptsMade(headers) + 1;
  const outcome = await runHandler(context, message, headers, attempt);
  await recordOutcome(context, message, headers, attempt, outcome);
}

async function runHandler(
  { queue, subscription, isTransientError }: DeliveryContext,
  message: ConsumeMessage,
  headers: Record<string, unknown>,
  attempt: number,
): Promise<Outcome> {
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    return { kind: 'park', reason: 'invalid_json', error };
  }
  const parsed = subscription.schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { kind: 'park', reason: 'schema_invalid', error: new Error(`schema validation failed: ${issues.join('; ')}`) };
  }
  const maxAttempts = maxAttemptsOf(queue);
  const ctx: ConsumeContext = {
    attempt,
    maxAttempts,
    isLastAttempt: attempt >= maxAttempts,
    traceId: traceIdOf(headers, body),
    headers,
    retryAfterMs(ms: number): never {
      throw new RetryableError(`retry requested after ${ms} ms`, { retryAfterMs: ms });
    },
    nextRetryDelayMs: (requestedMs) => retryDelayMs(queue, attempt, requestedMs),
  };
  try {
    await subscription.handler(parsed.data, ctx);
    return { kind: 'handled' };
  } catch (error) {
    if (error instanceof NonRetryableError) return { kind: 'park', reason: 'non_retryable', error };
    if (isTransientError(error)) {
      const retries = infrastructureRetriesMade(headers) + 1;
      return { kind: 'retry', delayMs: infrastructureRetryDelayMs(queue, retries), error, attempt: attempt - 1, infrastructureRetries: retries };
    }
    if (attempt >= maxAttempts) return { kind: 'park', reason: 'attempts_exhausted', error };
    const requested = error instanceof RetryableError ? error.retryAfterMs : undefined;
    return { kind: 'retry', delayMs: retryDelayMs(queue, attempt, requested), error, attempt, infrastructureRetries: 0 };
  }
}

async function recordOutcome(
  context: DeliveryContext,
  message: ConsumeMessage,
  headers: Record<string, unknown>,
  attempt: number,
  outcome: Outcome,
): Promise<void> {
  const { session, metrics } = context;
  const queue = context.queue.name;
  const log = context.logger.child({ queue, messageId: message.properties.messageId, attempt, traceId: headers[HEADER.traceId] });
  // A delivery belongs to its channel: once that is gone RabbitMQ redelivers the message, and republishing it
  // now would only add a duplicate.
  if (session.lost) return;
  try {
    if (outcome.kind === 'handled') {
      session.consumeChannel.ack(message);
      metrics.acked.inc({ queue });
      log.debug('message handled');
      return;
    }
    const lastError = describeError(outcome.error);
    if (outcome.kind === 'retry') {
      await session.publisher.publish('', retryQueueName(queue, outcome.delayMs), message.content, republished(message, headers, {
        [HEADER.attempt]: outcome.attempt,
        [HEADER.lastError]: lastError,
        [HEADER.infrastructureRetries]: outcome.infrastructureRetries,
      }));
      metrics.publishesConfirmed.inc({ exchange: '' });
      session.consumeChannel.ack(message);
      metrics.retried.inc({ queue });
      log.info({ delayMs: outcome.delayMs, error: lastError }, 'message failed; retrying later');
      return;
    }
    await session.publisher.publish('', parkedQueueName(queue), message.content, republished(message, headers, {
      [HEADER.attempt]: attempt,
      [HEADER.lastError]: lastError,
      [HEADER.parkedReason]: outcome.reason,
      [HEADER.parkedAt]: new Date().toISOString(),
    }));
    metrics.publishesConfirmed.inc({ exchange: '' });
    session.consumeChannel.ack(message);
    metrics.parked.inc({ queue });
    log.warn({ reason: outcome.reason, error: lastError }, 'message parked');
  } catch (error) {
    if (session.lost) return;
    log.error({ err: error }, 'could not record the outcome of a message; returning it to its queue');
    if (error instanceof UnroutableError) {
      // A delay or parking queue is missing (deleted by hand): a new session declares the topology again, and
      // RabbitMQ redelivers this message once the old channel is gone.
      session.abandon('a delay or parking queue is missing');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, REQUEUE_PAUSE_MS));
    if (session.lost) return;
    try {
      session.consumeChannel.nack(message, false, true);
    } catch {
      // The channel closed meanwhile: RabbitMQ requeues the message by itself.
    }
  }
}


function traceIdOf(headers: Record<string, unknown>, body: unknown): string {
  const fromHeader = headers[HEADER.traceId];
  if (typeof fromHeader === 'string' && fromHeader !== '') return fromHeader;
  const fromBody = (body as { traceId?: unknown } | null)?.traceId;
  return typeof fromBody === 'string' ? fromBody : '';
}
