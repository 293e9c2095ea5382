import { randomUUID } from 'node:crypto';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';

// Real: RabbitMQ (own vhost), Postgres (own database), the deliverer in this process, a node:http receiver.

let harness: Harness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness();
  await harness.startDeliverer();
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await harness?.close();
});

/** The same command published again, as a producer retrying its own publish would: a new envelope id. */
function again<T extends { id: string; occurredAt: string }>(envelope: T): T {
  return { ...envelope, id: randomUUID(), occurredAt: new Date().toISOString() };
}

describe('webhook-deliverer: redelivered commands', () => {
  test('when two copies of a command arrive while the receiver is slow, then only one POST goes out', async () => {
    const target = await startReceiver(() => ({ status: 200, delayMs: 1_500 }));
    receivers.push(target);
    const sent = await harness.send({ url: target.url });
    await harness.publish(again(sent.envelope));
    await harness.events.waitFor('webhook.delivered', sent.webhookId, 2, 30_000);

    expect(target.requests).toHaveLength(1);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row).toMatchObject({ status: 'succeeded' });
    expect(row?.attemptRows).toHaveLength(1);
  });

  test('when a command that already succeeded arrives again, then nothing is sent again and webhook.delivered is repeated', async () => {
    const target = await startReceiver(() => ({ status: 200 }));
    receivers.push(target);
    const sent = await harness.send({ url: target.url });
    const [first] = await harness.events.waitFor('webhook.delivered', sent.webhookId);

    await harness.publish(again(sent.envelope));
    const [, repeated] = await harness.events.waitFor('webhook.delivered', sent.webhookId, 2);

    expect(target.requests).toHaveLength(1);
    expect(repeated).toEqual(first);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row?.attemptRows).toHaveLength(1);
  });

  test('when a command that already failed arrives again, then nothing is sent again and webhook.failed is repeated', async () => {
    const target = await startReceiver(() => ({ status: 410 }));
    receivers.push(target);
    const sent = await harness.send({ url: target.url });
    const [first] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    await harness.publish(again(sent.envelope));
    const [, repeated] = await harness.events.waitFor('webhook.failed', sent.webhookId, 2);

    expect(target.requests).toHaveLength(1);
    expect(repeated).toEqual(first);
  });
});
