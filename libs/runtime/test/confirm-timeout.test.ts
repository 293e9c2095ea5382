import { PublishTimeoutError } from '@pingback/broker';
import { EXCHANGES, publications } from '@pingback/contracts';
import { createPostgresCheck } from '@pingback/db';
import { createLogger } from '@pingback/observability';
import { isolateTestFile, startRabbitNode, type IsolatedTestFile, type RabbitNode } from '@pingback/testing';
import amqp from 'amqplib';
import { runService, type RunningService, type ServiceKit } from '../src/run-service';
import { testRuntimeConfig } from './support/runtime-config';

/**
 * Real: a RabbitMQ node of this file's own (its memory alarm blocks every publisher, which the shared broker
 * must not suffer), a service run by runService on it. A consumer's publish outlasts a broker that holds its
 * confirms for seconds; the edge's 1 s limit still gives up.
 */
const BLOCKED_MS = 2_500;
const logger = createLogger('confirm-timeout-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let isolated: IsolatedTestFile;
let rabbit: RabbitNode;

beforeAll(async () => {
  isolated = await isolateTestFile();
  rabbit = await startRabbitNode();
  // The publication's route: channel.changed is bound only to the gateways' per-process queues.
  const connection = await amqp.connect(rabbit.url);
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  await channel.assertQueue('confirm-timeout-test', { durable: true });
  await channel.bindQueue('confirm-timeout-test', EXCHANGES.events, 'channel.changed');
  await connection.close();
}, 120_000);

afterAll(async () => {
  await rabbit?.stop();
  await isolated?.cleanup();
}, 60_000);

async function serviceWithBroker(confirmTimeoutMs?: number): Promise<{ service: RunningService; broker: ServiceKit['broker'] }> {
  let broker!: ServiceKit['broker'];
  const service = await runService({
    name: 'confirm-timeout-test',
    config: testRuntimeConfig(rabbit.url),
    logger,
    ...(confirmTimeoutMs === undefined ? {} : { confirmTimeoutMs }),
    build: (kit) => {
      broker = kit.broker;
      return { database: createPostgresCheck(isolated.databaseUrl) };
    },
  });
  return { service, broker };
}

/** Publishes while the node's memory alarm blocks publishers for BLOCKED_MS, and says how the publish ended. */
async function publishWhileBlocked(broker: ServiceKit['broker']): Promise<unknown> {
  await rabbit.ctl('set_vm_memory_high_watermark', '0');
  const unblock = new Promise((resolve) => setTimeout(resolve, BLOCKED_MS)).then(() => rabbit.ctl('set_vm_memory_high_watermark', '0.4'));
  try {
    return await broker.publish(publications.channelChanged, { channelId: 'ch_blocked' }).then(
      () => 'confirmed',
      (error: unknown) => error,
    );
  } finally {
    await unblock;
  }
}

describe('how long a publish waits for its confirm', () => {
  test('when the broker holds confirms for longer than a second, then a consumer service’s publish waits and is confirmed', async () => {
    const { service, broker } = await serviceWithBroker();
    try {
      expect(await publishWhileBlocked(broker)).toBe('confirmed');
    } finally {
      await service.stop('test over');
    }
  }, 60_000);

  test('when the edge’s service sets 1 s, then the same block fails its publish with PublishTimeoutError', async () => {
    const { service, broker } = await serviceWithBroker(1_000);
    try {
      expect(await publishWhileBlocked(broker)).toBeInstanceOf(PublishTimeoutError);
    } finally {
      await service.stop('test over');
    }
  }, 60_000);
});
