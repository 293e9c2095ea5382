import { randomUUID } from 'node:crypto';
import { generateSecret } from '@pingback/security';
import { waitFor } from '@pingback/testing';
import type { RunningService } from '@pingback/runtime';
import { createHarness, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';
import { verifyWebhook } from '../../../tests/seed-clients/verify-webhook.cjs';

// Real: RabbitMQ (own vhost), Postgres (own database), deliverers in this process, a node:http receiver, and a
// stand-in for the gateway's internal port that counts how often each channel's secrets are asked for.

let harness: Harness;
let receiver: Receiver;
const running: RunningService[] = [];

beforeAll(async () => {
  harness = await createHarness();
  receiver = await startReceiver();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((deliverer) => deliverer.stop('test finished')));
});

afterAll(async () => {
  await receiver?.close();
  await harness?.close();
});

async function start(options: Parameters<Harness['startDeliverer']>[0] = {}): Promise<RunningService> {
  const deliverer = await harness.startDeliverer(options);
  running.push(deliverer);
  return deliverer;
}

/** Sends one POST signed by `signerId` and returns the request as the receiver saw it. */
async function deliveredFor(signerId: string) {
  const sent = await harness.send({ url: receiver.url, signerId });
  const request = await waitFor(() => receiver.requests.find((candidate) => candidate.headers['webhook-id'] === sent.webhookId), {
    description: `the POST of ${sent.webhookId}`,
  });
  return { headers: request.headers, body: JSON.parse(request.body) as unknown };
}

/** A value of a deliverer's /metrics (the sample of `name` whose labels include `label`), 0 when absent. */
async function metric(deliverer: RunningService, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${deliverer.healthPort}/metrics`)).text();
  const found = text
    .split('\n')
    .find((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(label));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
}

const forgotten = (deliverer: RunningService) => metric(deliverer, 'pingback_signer_cache_events_total', 'event="forgotten"');
const entries = (deliverer: RunningService) => metric(deliverer, 'pingback_signer_cache_entries');

describe('webhook-deliverer: cached signing secrets', () => {
  test('when one channel signs several POSTs, then the gateway is asked for its secrets once', async () => {
    await start();
    const signerId = `ch_${randomUUID()}`;
    const secret = generateSecret('whsec_');
    harness.setSigner(signerId, [secret]);

    for (let i = 0; i < 4; i++) expect(verifyWebhook(await deliveredFor(signerId), secret)).toBe(true);
    expect(harness.gatewayAskedFor(signerId)).toBe(1);
  });

  test('when signer.rotated is published, then within one second the next POST is signed with the new secret', async () => {
    const deliverer = await start();
    const signerId = `ch_${randomUUID()}`;
    const [before, after] = [generateSecret('whsec_'), generateSecret('whsec_')];
    harness.setSigner(signerId, [before]);
    expect(verifyWebhook(await deliveredFor(signerId), before)).toBe(true);

    harness.setSigner(signerId, [after, before]);
    const forgottenBefore = await forgotten(deliverer);
    await harness.rotated(signerId);
    await waitFor(async () => (await forgotten(deliverer)) > forgottenBefore, { timeoutMs: 1_000, description: 'the rotation reached the cache' });

    const request = await deliveredFor(signerId);
    expect(verifyWebhook(request, after)).toBe(true);
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(harness.gatewayAskedFor(signerId)).toBe(2);
  });

  test('when the cache lifetime (shortened by configuration) has passed, then the gateway is asked again', async () => {
    let offsetMs = 0;
    await start({ env: { PINGBACK_SIGNER_CACHE_TTL_MS: '60000' }, clock: () => new Date(Date.now() + offsetMs) });
    const signerId = `ch_${randomUUID()}`;
    const secret = generateSecret('whsec_');
    harness.setSigner(signerId, [secret]);

    await deliveredFor(signerId);
    await deliveredFor(signerId);
    expect(harness.gatewayAskedFor(signerId)).toBe(1);

    offsetMs = 60_001;
    expect(verifyWebhook(await deliveredFor(signerId), secret)).toBe(true);
    expect(harness.gatewayAskedFor(signerId)).toBe(2);
  });

  test('when two deliverers both cache a channel, then one signer.rotated drops it from both', async () => {
    const deliverers = [await start(), await start()];
    const signerId = `ch_${randomUUID()}`;
    harness.setSigner(signerId, [generateSecret('whsec_')]);
    // Competing consumers share the POSTs: send until each deliverer has signed one.
    await waitFor(
      async () => {
        await deliveredFor(signerId);
        const counts = await Promise.all(deliverers.map(entries));
        return counts.every((count) => count === 1);
      },
      { description: 'both deliverers cached the channel' },
    );

    await harness.rotated(signerId);
    await waitFor(
      async () => (await Promise.all(deliverers.map(entries))).every((count) => count === 0),
      { timeoutMs: 1_000, description: 'both deliverers dropped the channel' },
    );
  });

  test('when a signer kind has no lookup, then nothing is sent and the webhook fails for good as unsignable', async () => {
    await start();
    const sent = await harness.send({ url: receiver.url });
    const foreign = { ...sent.envelope, id: randomUUID(), payload: { ...sent.envelope.payload, webhookId: `hook_${randomUUID()}`, signer: { kind: 'approval', id: 'apr_1' } } };
    await harness.publish(foreign);
    const [failed] = await harness.events.waitFor('webhook.failed', foreign.payload.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 1, error: { code: 'unsignable' } });
    expect(receiver.requests.filter((request) => request.headers['webhook-id'] === foreign.payload.webhookId)).toEqual([]);
  });
});
