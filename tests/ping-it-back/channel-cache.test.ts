import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { freePort, startService, type RunningService } from '@pingback/testing';
import { createChannel, request, type ChannelCredentials } from '../support/api';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

// Real: two gateway processes (each keeps channels in memory), response-store, dispatcher and webhook-deliverer
// (which keeps signing secrets in memory), RabbitMQ, Postgres, Redis. A change made through one gateway must
// reach every cached copy within a second (issue 11): the other gateway's channels, the deliverer's secrets.

const WITHIN_MS = 1_000;

let stack: Stack;
let second: RunningService;
let secondUrl: string;
let receiver: Receiver;
let channel: ChannelCredentials;

beforeAll(async () => {
  receiver = await startReceiver();
  // A long lifetime, so only the announcement can explain a change being seen within a second.
  stack = await startStack({ PINGBACK_CHANNEL_CACHE_TTL_MS: '600000', PINGBACK_SIGNER_CACHE_TTL_MS: '600000' });
  const [port, healthPort] = await Promise.all([freePort(), freePort()]);
  second = await startService('ingest-gateway', stack.env, { port, healthPort });
  secondUrl = `http://127.0.0.1:${port}`;
  channel = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/hook` }]);
}, 60_000);

afterAll(async () => {
  await second?.stop(5_000);
  await stack?.stop();
  await receiver?.close();
});

const sendVia = (base: string, token: string, title: string) => request<{ id?: string; error?: string }>(`${base}/v1/send/${token}`, { body: { title } });
const manage = (path: string, body?: unknown) =>
  request<Record<string, unknown>>(`${stack.url}${path}`, { method: 'POST', ...(body === undefined ? {} : { body }), headers: { authorization: `Bearer ${channel.apiKey}` } });

/** Polls `check` every 20 ms and resolves with how long it took to hold, or rejects after 10 s. */
async function timeUntil(check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 10_000) throw new Error('never held within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

async function arrivalOf(messageId: string): Promise<ReceivedRequest> {
  let found: ReceivedRequest | undefined;
  await timeUntil(async () => {
    found = receiver.requests.find((received) => (received.json as { message_id?: string } | undefined)?.message_id === messageId);
    return found !== undefined;
  });
  return found as ReceivedRequest;
}

const signatureHeaders = (received: ReceivedRequest) => ({
  'webhook-id': String(received.headers['webhook-id']),
  'webhook-timestamp': String(received.headers['webhook-timestamp']),
  'webhook-signature': String(received.headers['webhook-signature']),
});

describe('cached channels and secrets follow a change within a second', () => {
  test('when the token is rotated through one gateway, then the other refuses the old token and takes the new one within a second', async () => {
    // Both gateways have the channel cached.
    expect((await sendVia(stack.url, channel.token, 'warm a')).status).toBe(200);
    expect((await sendVia(secondUrl, channel.token, 'warm b')).status).toBe(200);

    const rotated = await manage(`/api/channels/${channel.channelId}/rotate-token`);
    expect(rotated.status).toBe(200);
    const elapsed = await timeUntil(async () => (await sendVia(secondUrl, channel.token, 'old token')).status === 401);

    expect(elapsed).toBeLessThan(WITHIN_MS);
    expect((await sendVia(secondUrl, rotated.body.token as string, 'new token')).status).toBe(200);
    channel = { ...channel, token: rotated.body.token as string };
  });

  test('when a destination is added through one gateway, then a send through the other reaches it within a second', async () => {
    const other = await startReceiver();
    try {
      expect((await manage(`/api/channels/${channel.channelId}/destinations`, { type: 'webhook', url: `${other.url}/added` })).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, WITHIN_MS));
      const sent = await sendVia(secondUrl, channel.token, 'a second after the add');

      expect(sent.status).toBe(200);
      await other.waitForRequests(1, 10_000);
      expect((other.requests[0]?.json as { message_id?: string }).message_id).toBe(sent.body.id);
    } finally {
      await other.close();
    }
  });

  test('when the signing secret is rotated, then webhooks sent a second later are signed with the new secret', async () => {
    const before = await sendVia(secondUrl, channel.token, 'before the rotation');
    const signedBefore = await arrivalOf(before.body.id as string);

    const rotated = await manage(`/api/channels/${channel.channelId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.signing_secret as string;
    await new Promise((resolve) => setTimeout(resolve, WITHIN_MS));
    const after = await sendVia(secondUrl, channel.token, 'after the rotation');
    const signedAfter = await arrivalOf(after.body.id as string);

    expect(() => new Webhook(newSecret).verify(signedBefore.rawBody, signatureHeaders(signedBefore))).toThrow();
    expect(new Webhook(newSecret).verify(signedAfter.rawBody, signatureHeaders(signedAfter))).toEqual(JSON.parse(signedAfter.rawBody));
  });

  test('when the channel is deleted through one gateway, then the other refuses its token within a second', async () => {
    const deleted = await request(`${stack.url}/api/channels/${channel.channelId}`, { method: 'DELETE', headers: { authorization: `Bearer ${channel.apiKey}` } });
    expect([200, 204]).toContain(deleted.status);

    const elapsed = await timeUntil(async () => (await sendVia(secondUrl, channel.token, 'deleted')).status === 401);

    expect(elapsed).toBeLessThan(WITHIN_MS);
  });
});
