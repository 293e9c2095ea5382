import { connect, type Channel } from 'amqplib';
import type { Logger } from 'pino';
import { assertTopology } from './assert-topology';
import { createConfirmedPublisher, type ConfirmedPublisher } from './confirmed-publisher';
import type { Topology } from './topology';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * One connection and its channels: a confirm channel to publish and one channel to consume, opened after the
 * whole topology (delay queues included) is asserted. Losing the connection or either channel loses the whole
 * session, once; the broker then opens a new one, which asserts the topology again.
 */
export interface Session {
  readonly id: number;
  readonly publisher: ConfirmedPublisher;
  readonly consumeChannel: Channel;
  /** RabbitMQ blocked publishers (memory or disk alarm): confirms will not come until it unblocks. */
  readonly blocked: boolean;
  readonly lost: boolean;
  /** Gives the session up as lost (reported through onLost), for faults found above the channel level. */
  abandon(reason: string): void;
  /** Closes the connection on purpose: no loss is reported. */
  close(): Promise<void>;
}

export interface SessionOptions {
  url: string;
  topology: Topology;
  confirmTimeoutMs: number;
  logger: Logger;
  onLost(session: Session, reason: string): void;
}

let nextSessionId = 1;

export async function openSession(options: SessionOptions): Promise<Session> {
  const { logger } = options;
  const connection = await connect(options.url, { noDelay: true, timeout: CONNECT_TIMEOUT_MS });
  let lost = false;
  let closing = false;
  let blocked = false;
  let session: Session | undefined;
  const lose = (reason: string): void => {
    if (lost || closing) return;
    lost = true;
    connection.close().catch(() => undefined);
    if (session) options.onLost(session, reason);
  };
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ connection error'));
  connection.on('close', () => lose('connection closed'));
  connection.on('blocked', (reason: unknown) => {
    blocked = true;
    logger.warn({ reason }, 'RabbitMQ blocked publishing');
  });
  connection.on('unblocked', () => {
    blocked = false;
    logger.info('RabbitMQ unblocked publishing');
  });

  try {
    const topologyChannel = await connection.createChannel();
    topologyChannel.on('error', () => undefined);
    await assertTopology(topologyChannel, options.topology);
    await topologyChannel.close();

    const confirmChannel = await connection.createConfirmChannel();
    const consumeChannel = await connection.createChannel();
    for (const [name, channel] of [['publish', confirmChannel], ['consume', consumeChannel]] as const) {
      channel.on('error', (error: Error) => logger.warn({ err: error, channel: name }, 'RabbitMQ channel error'));
      channel.on('close', () => lose(`${name} channel closed`));
    }

    session = {
      id: nextSessionId++,
      publisher: createConfirmedPublisher(confirmChannel, options.confirmTimeoutMs),
      consumeChannel,
      get blocked() {
        return blocked;
      },
      get lost() {
        return lost;
      },
      abandon: lose,
      async close() {
        if (closing || lost) return;
        closing = true;
        await connection.close().catch(() => undefined);
      },
    };
    if (lost) throw new Error('connection lost while opening the session');
    return session;
  } catch (error) {
    closing = true;
    await connection.close().catch(() => undefined);
    throw error;
  }
}
