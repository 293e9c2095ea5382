import { randomUUID } from 'node:crypto';
import { EXCHANGES } from '@pingback/contracts';
import type { RunningService } from '@pingback/runtime';
import { generateSecret } from '@pingback/security';
import { waitFor } from '@pingback/testing';
import { createHarness, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';

// Real: RabbitMQ (own vhost), Postgres (own database), the deliverer in this process and its /metrics, a
// node:http receiver that counts its TCP connections.

let harness: Harness;
let deliverer: RunningService;
let receiver: Receiver;

beforeAll(async () => {
  harness = await createHarness();
  deliverer = await harness.startDeliverer();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await harness?.close();
});

/** The deliverer's value of `name` (the sample whose labels include `label`), 0 when absent. */
async function metric(name: string, label = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${deliverer.healthPort}/metrics`)).text();
  const found = text.split('\n').find((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(label));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
}

describe('webhook-deliverer: the work budget on /metrics', () => {
  test('when two webhooks of one channel go to one receiver, then /metrics counts one connection, one secrets call, commits and confirmed publishes', async () => {
    const signerId = `ch_${randomUUID()}`;
    harness.setSigner(signerId, [generateSecret('whsec_')]);

    // One after the other: the second POST starts once the first one's answer is back and its connection idle.
    for (let i = 0; i < 2; i++) {
      const sent = await harness.send({ url: receiver.url, signerId });
      await harness.events.waitFor('webhook.delivered', sent.webhookId);
    }

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.connections()).toBe(1);
    expect(await metric('pingback_outgoing_connections_total')).toBe(1);
    expect(await metric('pingback_internal_calls_total', 'target="ingest-gateway"')).toBe(1);
    expect(await metric('pingback_db_commits_total')).toBeGreaterThan(0);
    // The event is on its way to other consumers before the confirm reaches the deliverer.
    await waitFor(async () => (await metric('pingback_broker_publishes_confirmed_total', `exchange="${EXCHANGES.events}"`)) >= 2, {
      description: 'two confirmed webhook.delivered publishes',
    });
  });
});
