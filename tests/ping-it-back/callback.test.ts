import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { waitFor } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { startReceiver, type ReceivedRequest, type Receiver, type ReceiverReply } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';
import { verifyWebhook } from '../seed-clients/verify-webhook.cjs';

/** Seed 000's "Quick Feedback" form: a select, a text field and a button. */
const FEEDBACK_ACTIONS = [
  {
    type: 'select',
    label: 'Rating',
    key: 'rating',
    options: [
      { label: 'Great', value: '5' },
      { label: 'Good', value: '4' },
      { label: 'Okay', value: '3' },
      { label: 'Poor', value: '2' },
    ],
  },
  { type: 'text', label: 'Comment', key: 'comment', placeholder: 'Optional feedback...' },
  { type: 'button', label: 'Submit', key: 'submit', style: 'primary' },
];
const SEED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** What an Express handler behind express.json() hands seed 003's verifier: the headers and the parsed body. */
const asExpressRequest = (received: ReceivedRequest, body: unknown = JSON.parse(received.rawBody)) => ({ headers: received.headers, body });

/** The three Standard Webhooks headers as the `standardwebhooks` library takes them. */
function standardHeaders(received: ReceivedRequest): Record<string, string> {
  const header = (name: string) => String(received.headers[name] ?? '');
  return { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') };
}

describe('answer callbacks: seed 001 body, signed as seed 003 and Standard Webhooks say', () => {
  let stack: Stack;
  let channel: ChannelCredentials;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    stack = await startStack();
    channel = await createChannel(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function callbackReceiver(reply?: (request: ReceivedRequest, index: number) => ReceiverReply) {
    const receiver = await startReceiver(reply);
    receivers.push(receiver);
    return receiver;
  }

  const messageRecord = async (on: ChannelCredentials, id: string) =>
    (await request<{ callback_state?: string }>(`${stack.url}/api/messages/${id}`, { headers: { authorization: `Bearer ${on.apiKey}` } })).body;

  /** The message's callback has settled as a success (its record says so), so nothing more is on its way. */
  const callbackSucceeded = (on: ChannelCredentials, id: string) =>
    waitFor(async () => (await messageRecord(on, id)).callback_state === 'succeeded', { timeoutMs: 15_000, intervalMs: 100, description: `callback of ${id} succeeded` });

  /** Sends with a callback_url on `on`, answers on the first respond link, and returns the message id. */
  async function sendAndAnswer(on: ChannelCredentials, callbackUrl: string, answerBody: Record<string, unknown> = { triggered_by: 'deploy' }, actions: unknown[] = DEPLOY_ACTIONS) {
    const id = await send(stack, on.token, { title: 'Approve Request', body: 'Alice requested access to production', callback_url: callbackUrl, actions });
    const [link] = await respondUrls(stack, on.apiKey, id);
    const answered = await answer(link!, answerBody);
    expect(answered.status).toBe(201);
    return id;
  }

  test("when a send with a callback_url is answered with a select and a text, then the callback URL gets seed 001's body once", async () => {
    const receiver = await callbackReceiver();
    const comment = 'Looks good! "quoted" <b>ünïcödé</b> ✅ \\ / \u2028';
    const id = await sendAndAnswer(channel, `${receiver.url}/approvals?team=ops`, { triggered_by: 'submit', responses: { rating: '5', comment } }, FEEDBACK_ACTIONS);

    const [callback] = await receiver.waitForRequests(1);
    expect(callback!.method).toBe('POST');
    expect(callback!.path).toBe('/approvals?team=ops');
    expect(callback!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(callback!.rawBody) as Record<string, unknown>;
    expect(body).toEqual({
      message_id: id,
      channel_id: channel.channelId,
      timestamp: expect.stringMatching(SEED_TIMESTAMP),
      triggered_by: 'submit',
      responses: { rating: '5', comment },
    });
    // Compact JSON exactly as JSON.stringify writes it (CONTRACT §6), so a re-serialising verifier passes.
    expect(callback!.rawBody).toBe(JSON.stringify(body));
    // Seed 001's field order, as the poll's `result` has it.
    expect(Object.keys(body)).toEqual(['message_id', 'channel_id', 'timestamp', 'triggered_by', 'responses']);
    expect(verifyWebhook(asExpressRequest(callback!), channel.signingSecret)).toBe(true);

    await callbackSucceeded(channel, id);
    expect(receiver.requests).toHaveLength(1);
    // The answer is held for one poll as well, with the same result.
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'submitted', result: body, submitted_at: expect.stringMatching(SEED_TIMESTAMP) });
  });

  test("when the callback arrives, then seed 003's Node verifier and the standardwebhooks library both accept it with the channel's signing secret", async () => {
    const receiver = await callbackReceiver();
    await sendAndAnswer(channel, `${receiver.url}/approvals`, { triggered_by: 'submit', responses: { rating: '4', comment: 'fine, ok' } }, FEEDBACK_ACTIONS);

    const [callback] = await receiver.waitForRequests(1);
    expect(channel.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(callback!.headers['x-pingback-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(callback!.headers['x-pingback-timestamp']).toMatch(/^\d+$/);
    expect(verifyWebhook(asExpressRequest(callback!), channel.signingSecret)).toBe(true);

    expect(callback!.headers['webhook-id']).toEqual(expect.any(String));
    expect(callback!.headers['webhook-timestamp']).toBe(callback!.headers['x-pingback-timestamp']);
    expect(String(callback!.headers['webhook-signature']).split(' ')).toEqual([expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/)]);
    expect(new Webhook(channel.signingSecret).verify(callback!.rawBody, standardHeaders(callback!))).toEqual(JSON.parse(callback!.rawBody));
  });

  test('when the callback body is tampered with or checked with another secret, then both verifications reject it', async () => {
    const receiver = await callbackReceiver();
    await sendAndAnswer(channel, `${receiver.url}/approvals`, { triggered_by: 'deploy' });
    const [callback] = await receiver.waitForRequests(1);
    const genuine = JSON.parse(callback!.rawBody) as Record<string, unknown>;
    const tampered = { ...genuine, triggered_by: 'cancel' };
    const other = await createChannel(stack);

    expect(verifyWebhook(asExpressRequest(callback!), channel.signingSecret)).toBe(true);
    expect(verifyWebhook(asExpressRequest(callback!, tampered), channel.signingSecret)).toBe(false);
    expect(verifyWebhook(asExpressRequest(callback!), other.signingSecret)).toBe(false);

    const webhook = new Webhook(channel.signingSecret);
    expect(() => webhook.verify(JSON.stringify(tampered), standardHeaders(callback!))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(other.signingSecret).verify(callback!.rawBody, standardHeaders(callback!))).toThrow(WebhookVerificationError);
  });

  test('when the callback URL answers 500 twice, then the third attempt delivers it with the same webhook-id, and a poll then reads the answer once', async () => {
    const receiver = await callbackReceiver((_request, index) => (index < 2 ? { status: 500, body: 'try later' } : { status: 200 }));
    const id = await sendAndAnswer(channel, `${receiver.url}/flaky`, { triggered_by: 'cancel' });

    const attempts = await receiver.waitForRequests(3);
    await callbackSucceeded(channel, id);
    expect(receiver.requests).toHaveLength(3);

    const [first] = attempts;
    expect(first!.headers['webhook-id']).toEqual(expect.any(String));
    for (const attempt of attempts) {
      expect(attempt.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      expect(attempt.rawBody).toBe(first!.rawBody);
      expect(verifyWebhook(asExpressRequest(attempt), channel.signingSecret)).toBe(true);
      expect(() => new Webhook(channel.signingSecret).verify(attempt.rawBody, standardHeaders(attempt))).not.toThrow();
    }
    expect(JSON.parse(first!.rawBody)).toMatchObject({ message_id: id, triggered_by: 'cancel', responses: {} });

    const read = await poll(stack, channel.token, id);
    expect(read.body).toEqual({ status: 'submitted', result: JSON.parse(first!.rawBody), submitted_at: expect.stringMatching(SEED_TIMESTAMP) });
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'already_read' });
  });

  describe('rotating the signing secret', () => {
    async function rotate(on: ChannelCredentials): Promise<string> {
      const rotated = await request<{ signing_secret: string }>(`${stack.url}/api/channels/${on.channelId}/rotate-secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${on.apiKey}` },
      });
      expect(rotated.status).toBe(200);
      expect(rotated.headers.get('cache-control')).toBe('no-store');
      expect(rotated.body.signing_secret).toMatch(/^whsec_/);
      expect(rotated.body.signing_secret).not.toBe(on.signingSecret);
      return rotated.body.signing_secret;
    }

    /** X-Pingback-Signature by the new secret only; webhook-signature: new then old, each verifiable alone. */
    function expectSignedAfterRotation(callback: ReceivedRequest, newSecret: string, oldSecret: string) {
      expect(verifyWebhook(asExpressRequest(callback), newSecret)).toBe(true);
      expect(verifyWebhook(asExpressRequest(callback), oldSecret)).toBe(false);

      const headers = standardHeaders(callback);
      const entries = headers['webhook-signature']!.split(' ');
      expect(entries).toHaveLength(2);
      const signedAt = new Date(Number(headers['webhook-timestamp']) * 1000);
      expect(entries).toEqual([
        new Webhook(newSecret).sign(headers['webhook-id']!, signedAt, callback.rawBody),
        new Webhook(oldSecret).sign(headers['webhook-id']!, signedAt, callback.rawBody),
      ]);
      expect(() => new Webhook(newSecret).verify(callback.rawBody, headers)).not.toThrow();
      expect(() => new Webhook(oldSecret).verify(callback.rawBody, headers)).not.toThrow();
    }

    test('when the secret is rotated, then a new callback is signed by the new secret in X-Pingback-Signature and by new and old in webhook-signature', async () => {
      const own = await createChannel(stack);
      const newSecret = await rotate(own);
      const shown = await request<{ signing_secret: string }>(`${stack.url}/api/channels/${own.channelId}`, { headers: { authorization: `Bearer ${own.apiKey}` } });
      expect(shown.body.signing_secret).toBe(newSecret);

      const receiver = await callbackReceiver();
      await sendAndAnswer(own, `${receiver.url}/rotated`, { triggered_by: 'deploy' });
      const [callback] = await receiver.waitForRequests(1);
      expectSignedAfterRotation(callback!, newSecret, own.signingSecret);
    });

    test('when a message sent before the rotation is answered after it, then its callback is signed by the new secret too', async () => {
      const own = await createChannel(stack);
      const receiver = await callbackReceiver();
      const id = await send(stack, own.token, { title: 'Sent before the rotation', callback_url: `${receiver.url}/older`, actions: DEPLOY_ACTIONS });
      const [link] = await respondUrls(stack, own.apiKey, id);

      const newSecret = await rotate(own);
      expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);

      const [callback] = await receiver.waitForRequests(1);
      expectSignedAfterRotation(callback!, newSecret, own.signingSecret);
    });
  });
});
