import {
  envelopeFor,
  type EnvelopeOptions,
  type MessageOf,
  type PayloadOf,
  type Publication,
  type ReceivedMessage,
  type Subscription,
} from '@pingback/contracts';
import type { ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { createBatcher, type Batcher } from './batch-delivery';
import { parseBrokerUrls, redactBrokerUrl } from './broker-urls';
import type { BatchHandler, MessageHandler, QueueHandler } from './consume-context';
import { processDelivery, type DeliveryContext } from './delivery';
import { BrokerUnavailableError, InvalidMessageError } from './errors';
import { HEADER } from './headers';
import { createBrokerMetrics } from './metrics';
import { assertPerProcessQueue, processPerProcessDelivery } from './per-process-queue';
import { openSession, type Session } from './session';
import type { QueueSpec, Topology } from './topology';

export interface BrokerOptions {
  /**
   * One RabbitMQ node, or the nodes of a cluster (a list, or comma-separated as RABBITMQ_URL holds them). Each
   * (re)connection tries them in turn, starting after the node last used.
   */
  url: string | readonly string[];
  topology: Topology;
  logger: Logger;
  registry?: Registry;
  /** A publish without a confirm by then rejects with PublishTimeoutError. Default 1000: the edge answers 503 within 2 s. */
  confirmTimeoutMs?: number;
  /**
   * First pause before reconnecting, once every node failed; it doubles after each such round up to
   * `maxReconnectDelayMs`. Default 250.
   */
  reconnectDelayMs?: number;
  /** Default 5000. */
  maxReconnectDelayMs?: number;
  /**
   * Tells failures of our own infrastructure (a database that is down, an owner service that does not answer)
   * from failures of the message. Those are retried after short pauses (1 s, 5 s, then every 30 s) for as long as
   * they last, and never use up the attempts: parking accepted work because Postgres was down for a minute would
   * lose it in practice.
   */
  isTransientError?: (error: unknown) => boolean;
}

export interface PublishOptions {
  headers?: Record<string, unknown>;
}

export type PublishPayloadOptions = EnvelopeOptions & PublishOptions;

export interface Broker {
  /**
   * Connects, asserts the topology and subscribes the consumers. Resolves once connected; while RabbitMQ is
   * unreachable it keeps trying. Rejects on what retrying cannot fix (refused credentials, a queue declared
   * with other arguments) or when stop() comes first. After that the broker reconnects by itself.
   */
  start(): Promise<void>;
  /**
   * Wraps `payload` in the publication's envelope (a new id, now, a new trace unless `options` say otherwise),
   * checks it against the publication's schema, publishes it to the publication's exchange and routing key and
   * resolves with the envelope once RabbitMQ confirmed it into at least one queue. Rejects with
   * InvalidMessageError before publishing when the schema refuses it, UnroutableError when no queue is bound for
   * it, BrokerUnavailableError at once when not connected (or the connection drops before the confirm),
   * PublishTimeoutError when no confirm comes within `confirmTimeoutMs`.
   */
  publish<P extends Publication>(publication: P, payload: PayloadOf<P>, options?: PublishPayloadOptions): Promise<MessageOf<P>>;
  /**
   * Publishes an envelope already built, as publish() does: for a message whose id must stay fixed (an outbox
   * row, an event re-published after a redelivery), so consumers can drop the copy.
   */
  publishEnvelope<P extends Publication>(publication: P, envelope: MessageOf<P>, options?: PublishOptions): Promise<void>;
  /**
   * Registers the one handler of a subscription's queue; before or after start(), it is (re)subscribed on every
   * connection. Messages are parsed with the schemas of the publications the subscription receives.
   */
  consume<S extends Subscription>(subscription: S, handler: MessageHandler<ReceivedMessage<S>>): void;
  /**
   * Like consume(), for handlers that do better with many messages at once (multi-row writes, one commit): the
   * messages that arrived together, up to the queue's prefetch, go to `handler` as one batch (batch-delivery.ts).
   */
  consumeBatch<S extends Subscription>(subscription: S, handler: BatchHandler<ReceivedMessage<S>>): void;
  /**
   * Calls `listener` after every connection, the first and each reconnect, once its consumers are subscribed:
   * whatever was published while disconnected was missed by per-process queues, so a cache they invalidate
   * starts over here.
   */
  onConnected(listener: () => void): void;
  /** Connected, topology asserted, and RabbitMQ accepting publishes. */
  isReady(): boolean;
  /** Cancels the consumers, waits for handlers in flight, then closes the channels and the connection. */
  stop(): Promise<void>;
}

interface Consumer {
  queue: QueueSpec;
  subscription: QueueHandler<unknown>;
  /** Per process (topology.perProcessQueues): each session declares its own queue for it. */
  perProcess: boolean;
  /** Batch consumers: the handler of a batch; the single-message handler runs it with a batch of one. */
  batch?: BatchHandler<unknown>;
  /** The session this consumer is subscribed on, its tag there, and its batcher on it. */
  session?: Session;
  consumerTag?: string;
  batcher?: Batcher;
}

type State = 'idle' | 'running' | 'stopping' | 'stopped';

const DEFAULT_PREFETCH = 32;

/** A publish from inside a handler that failed because the broker itself is unavailable. */
const isBrokerError = (error: unknown) => error instanceof BrokerUnavailableError;

export function createBroker(options: BrokerOptions): Broker {
  const logger = options.logger.child({ component: 'broker' });
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 1_000;
  const reconnectDelayMs = options.reconnectDelayMs ?? 250;
  const maxReconnectDelayMs = Math.max(options.maxReconnectDelayMs ?? 5_000, reconnectDelayMs);
  const urls = parseBrokerUrls(options.url);
  const metrics = createBrokerMetrics(options.registry);
  const queues = new Map(options.topology.queues.map((queue) => [queue.name, queue]));
  const perProcessQueues = new Map((options.topology.perProcessQueues ?? []).map((queue) => [queue.name, queue]));
  const connectedListeners: (() => void)[] = [];
  const exchanges = new Set(options.topology.exchanges.map((exchange) => exchange.name));
  const consumers = new Map<string, Consumer>();
  const inFlight = new Set<Promise<void>>();

  let state: State = 'idle';
  let session: Session | undefined;
  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  let reconnecting = false;
  let connecting: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  /** Where the next connection attempt starts: the node after the one last tried, so a lost node is tried last. */
  let nextUrl = 0;

  const onLost = (lost: Session, reason: string): void => {
    if (session !== lost) return;
    session = undefined;
    lost.publisher.failAll(new BrokerUnavailableError(`RabbitMQ connection lost (${reason})`));
    if (state !== 'running') return;
    logger.warn({ reason }, 'RabbitMQ connection lost; reconnecting');
    reconnect();
  };

  const reconnect = (): void => {
    if (reconnecting) return;
    startConnecting(false).catch((error: unknown) => {
      if (state === 'running') logger.error({ err: error }, 'reconnecting gave up');
    });
  };

  const startConnecting = (firstStart: boolean): Promise<void> => {
    const run = connectUntilReady(firstStart);
    connecting = run.catch(() => undefined);
    return run;
  };

  async function connectUntilReady(firstStart: boolean): Promise<void> {
    reconnecting = true;
    try {
      for (let attempt = 0; state === 'running'; attempt++) {
        const url = urls[nextUrl] as string;
        nextUrl = (nextUrl + 1) % urls.length;
        let opened: Session | undefined;
        try {
          opened = await openSession({ url, topology: options.topology, confirmTimeoutMs, logger, onLost });
          if (state !== 'running') {
            await opened.close();
            break;
          }
          session = opened;
          for (const consumer of consumers.values()) await subscribe(opened, consumer);
          if (opened.lost) throw new BrokerUnavailableError('connection lost while subscribing');
          logger.info({ session: opened.id, node: redactBrokerUrl(url) }, 'connected to RabbitMQ');
          for (const listener of connectedListeners) {
            try {
              listener();
            } catch (error) {
              logger.error({ err: error }, 'an onConnected listener failed');
            }
          }
          return;
        } catch (error) {
          if (opened) {
            if (session === opened) session = undefined;
            opened.publisher.failAll(new BrokerUnavailableError('RabbitMQ session failed while starting'));
            await opened.close();
          }
          if (firstStart && isMisconfiguration(error)) throw error;
          // The next node of a cluster is likely up: back off only once every node failed in this round.
          const roundsFailed = (attempt + 1) / urls.length;
          if (!Number.isInteger(roundsFailed)) {
            logger.warn({ err: error, node: redactBrokerUrl(url) }, 'cannot use this RabbitMQ node; trying the next');
            continue;
          }
          const delayMs = backoff(roundsFailed - 1);
          logger.warn({ err: error, node: redactBrokerUrl(url), retryInMs: delayMs }, 'cannot use RabbitMQ; retrying');
          await pause(delayMs);
        }
      }
      throw new BrokerUnavailableError('broker stopped before it could connect');
    } finally {
      reconnecting = false;
    }
  }

  function backoff(failures: number): number {
    const capped = Math.min(reconnectDelayMs * 2 ** Math.min(failures, 20), maxReconnectDelayMs);
    return Math.round(capped * (0.8 + Math.random() * 0.4));
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeUp = done;
    });
  }

  async function subscribe(target: Session, consumer: Consumer): Promise<void> {
    if (consumer.session === target) return;
    consumer.session = target;
    consumer.consumerTag = undefined;
    consumer.batcher = consumer.batch
      ? createBatcher(deliveryContext(target, consumer), consumer.batch, consumer.queue.prefetch ?? DEFAULT_PREFETCH, track)
      : undefined;
    const channel = target.consumeChannel;
    const queueName = consumer.perProcess ? await assertPerProcessQueue(channel, consumer.queue) : consumer.queue.name;
    // basic.qos without `global` applies to the consumers created after it on this channel: issued back to
    // back, with nothing in between, it sets this consumer's prefetch.
    const qos = channel.prefetch(consumer.queue.prefetch ?? DEFAULT_PREFETCH);
    const reply = channel.consume(queueName, (message) => onDelivery(target, consumer, message), {
      noAck: false,
    });
    await qos;
    consumer.consumerTag = (await reply).consumerTag;
  }

  function onDelivery(from: Session, consumer: Consumer, message: ConsumeMessage | null): void {
    if (message === null) {
      logger.warn({ queue: consumer.queue.name }, 'RabbitMQ cancelled a consumer (queue deleted?); reconnecting');
      from.abandon('consumer cancelled by RabbitMQ');
      return;
    }
    if (consumer.batcher && consumer.session === from) {
      consumer.batcher.add(message);
      return;
    }
    track(
      consumer.perProcess
        ? processPerProcessDelivery({ session: from, queue: consumer.queue, subscription: consumer.subscription, logger }, message)
        : processDelivery(deliveryContext(from, consumer), message),
    );
  }

  function deliveryContext(session: Session, consumer: Consumer): DeliveryContext {
    return { session, queue: consumer.queue, subscription: consumer.subscription, metrics, logger, isTransientError: options.isTransientError ?? isBrokerError };
  }

  /** Handlers in flight, so stop() can wait for them. */
  function track(run: Promise<void>): void {
    const work: Promise<void> = run
      .catch((error: unknown) => logger.error({ err: error }, 'delivery failed'))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  }

  function register(subscription: Subscription, handler: MessageHandler<unknown>, batch?: BatchHandler<unknown>): void {
    const queueName = subscription.queue;
    const perProcessQueue = perProcessQueues.get(queueName);
    const queue = queues.get(queueName) ?? perProcessQueue;
    if (!queue) throw new Error(`queue "${queueName}" is not in the topology`);
    if (consumers.has(queueName)) throw new Error(`queue "${queueName}" already has a consumer`);
    if (state === 'stopping' || state === 'stopped') throw new Error('the broker was stopped');
    if (batch && perProcessQueue) throw new Error(`queue "${queueName}" is per process: it is not consumed in batches`);
    const consumer: Consumer = {
      queue,
      perProcess: perProcessQueue !== undefined,
      subscription: { schema: schemaOf(subscription), handler },
      ...(batch ? { batch } : {}),
    };
    consumers.set(queueName, consumer);
    const current = session;
    if (current && !current.lost) {
      subscribe(current, consumer).catch((error: unknown) => {
        logger.error({ err: error, queue: queueName }, 'cannot subscribe; reconnecting');
        current.abandon('subscribe failed');
      });
    }
  }

  async function publishEnvelope<P extends Publication>(
    publication: P,
    envelope: MessageOf<P>,
    publishOptions: PublishOptions = {},
  ): Promise<void> {
    const checked = publication.schema.safeParse(envelope);
    if (!checked.success) throw invalidMessage(publication, checked.error);
    const { exchange, routingKey } = publication;
    const current = session;
    // While stopping, handlers still draining may publish their results.
    if (!current || current.lost || (state !== 'running' && state !== 'stopping')) {
      throw new BrokerUnavailableError('not connected to RabbitMQ');
    }
    if (current.blocked) throw new BrokerUnavailableError('RabbitMQ is refusing publishes (resource alarm)');
    if (!exchanges.has(exchange)) throw new Error(`exchange "${exchange}" is not in the topology`);
    const endTimer = metrics.publishDuration.startTimer({ exchange });
    try {
      await current.publisher.publish(exchange, routingKey, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        contentType: 'application/json',
        messageId: envelope.id,
        type: envelope.type,
        timestamp: Math.floor(Date.now() / 1000),
        headers: { ...publishOptions.headers, [HEADER.traceId]: envelope.traceId },
      });
      metrics.publishesConfirmed.inc({ exchange });
    } finally {
      endTimer();
    }
  }

  return {
    start() {
      if (state === 'stopping' || state === 'stopped') return Promise.reject(new Error('the broker was stopped'));
      if (!started) {
        state = 'running';
        started = startConnecting(true).catch((error: unknown) => {
          if (state === 'running') state = 'stopped';
          throw error;
        });
      }
      return started;
    },

    async publish(publication, payload, publishOptions = {}) {
      const envelope = envelopeFor(publication, payload, publishOptions);
      await publishEnvelope(publication, envelope, publishOptions);
      return envelope;
    },

    publishEnvelope,

    consume(subscription, handler) {
      register(subscription, handler as MessageHandler<unknown>);
    },

    consumeBatch(subscription, handler) {
      register(subscription, (message) => (handler as BatchHandler<unknown>)([message]), handler as BatchHandler<unknown>);
    },

    onConnected(listener) {
      connectedListeners.push(listener);
    },

    isReady() {
      return state === 'running' && session !== undefined && !session.lost && !session.blocked;
    },

    stop() {
      stopped ??= (async () => {
        state = 'stopping';
        wakeUp?.();
        await connecting;
        const current = session;
        if (current) {
          await Promise.all(
            [...consumers.values()]
              .filter((consumer) => consumer.session === current && consumer.consumerTag !== undefined)
              .map((consumer) => current.consumeChannel.cancel(consumer.consumerTag as string).catch(() => undefined)),
          );
        }
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        state = 'stopped';
        session = undefined;
        if (current) {
          current.publisher.failAll(new BrokerUnavailableError('broker stopped'));
          await current.close();
        }
        logger.info('broker stopped');
      })();
      return stopped;
    },
  };
}

/** Errors that retrying cannot fix: bad credentials or vhost, or a queue that exists with other arguments. */
function isMisconfiguration(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 403 || code === 406 || code === 530) return true;
  const message = error instanceof Error ? error.message : '';
  return /ACCESS[-_]REFUSED|PRECONDITION[-_]FAILED|NOT[-_]ALLOWED/.test(message);
}

/** One schema for everything a subscription receives: its publications' schemas, each once. */
function schemaOf(subscription: Subscription): z.ZodType<unknown> {
  const schemas = [...new Set(subscription.publications.map((publication) => publication.schema))];
  if (schemas.length === 0) throw new Error(`queue "${subscription.queue}" receives no publication`);
  return schemas.length === 1 ? (schemas[0] as z.ZodType<unknown>) : z.union(schemas);
}

function invalidMessage(publication: Publication, error: z.ZodError): InvalidMessageError {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return new InvalidMessageError(`${publication.type} v${publication.version} does not match its schema: ${issues.join('; ')}`);
}
