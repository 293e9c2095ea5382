import type { Resolver } from '@pingback/security';
import { createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';

// Real: RabbitMQ (own vhost), Postgres (own database), the deliverer in this process with private targets NOT
// allowed (production's setting), a node:http listener on loopback watching for connections. No packet leaves
// loopback: the one name used resolves, through the injected resolver, to 127.0.0.1 only.

const REBINDING_NAME = 'hooks.example.test';
const resolver: Resolver = async (hostname) => {
  if (hostname === REBINDING_NAME) return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

let harness: Harness;
let watcher: Receiver;

beforeAll(async () => {
  harness = await createHarness({ PINGBACK_ALLOW_PRIVATE_TARGETS: 'false' });
  await harness.startDeliverer({ resolver });
  watcher = await startReceiver(() => ({ status: 200 }));
});

afterAll(async () => {
  await watcher?.close();
  await harness?.close();
});

describe('webhook-deliverer: unsafe targets', () => {
  test('when the URL is a plain-http loopback address, then it fails at once with unsafe_url and nothing connects', async () => {
    const sent = await harness.send({ url: watcher.url });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 1, error: { code: 'unsafe_url' } });
    expect(harness.events.about('webhook.attempted', sent.webhookId)).toEqual([]);
    expect(watcher.connections()).toBe(0);
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'failed', errorCode: 'unsafe_url' });
  });

  test('when a host name resolves to a private address at connect time, then it fails at once with unsafe_url', async () => {
    const sent = await harness.send({ url: `https://${REBINDING_NAME}/hooks` });
    const [failed] = await harness.events.waitFor('webhook.failed', sent.webhookId);

    expect(failed?.payload).toMatchObject({ attempts: 1, error: { code: 'unsafe_url', message: expect.stringContaining('127.0.0.1') } });
    expect(harness.events.about('webhook.attempted', sent.webhookId)).toEqual([]);
  });
});
