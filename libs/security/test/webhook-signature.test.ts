import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  brandSignature,
  generateSecret,
  safePost,
  signWebhook,
  standardSignature,
  verifyBrandSignature,
  verifyStandardWebhook,
} from '@pingback/security';
import { verifyWebhook as seed003Verify } from './fixtures/seed-003-verifier';
import { verify as seed004Verify } from '../../../tests/seed-clients/verify-room-webhook.cjs';
import { startLoopbackServer, type LoopbackServer, type ReceivedRequest } from './fixtures/loopback-server';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A delivery event with values whose JSON has traps: unicode, escapes, small floats, integer-like keys. */
const event = {
  event: 'notification.delivered',
  notification_id: 'msg_01JCX3V5N6Q9Z0ABCDEF1234567890abcdEF',
  channel: 'webhook',
  status: 'delivered',
  recipient: 'Zoë <zoe@example.com> ✅ "quoted" \\ / \u2028',
  latency_ms: 245,
  ratio: 0.00001,
  big: 1e21,
  attempt: 1,
  metadata: { b: 1, '2': 'two', '10': 'ten', a: [null, true, -0, 3.14159] },
  timestamp: '2025-01-15T10:30:05Z',
};

describe('signWebhook', () => {
  let receiver: LoopbackServer;
  beforeAll(async () => {
    receiver = await startLoopbackServer();
  });
  afterAll(() => receiver.close());

  /** Sends the signed body to the loopback receiver and returns what it saw on the wire. */
  async function deliver(headers: Record<string, string>, body: string): Promise<ReceivedRequest> {
    const before = receiver.requests.length;
    const response = await safePost({ url: `${receiver.url}/hook`, body, headers, allowPrivate: true });
    expect(response.status).toBe(200);
    return receiver.requests[before] as ReceivedRequest;
  }

  test("when a JSON.stringify body is signed brand-prefixed, then seed 003's own Node verifier accepts it", async () => {
    const secret = generateSecret('whsec_');
    const body = JSON.stringify(event);
    const headers = signWebhook({ id: 'evt_1', timestamp: nowSeconds(), body, secrets: [secret], style: 'brand-prefixed' });
    expect(headers['X-Pingback-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    const received = await deliver({ ...headers }, body);
    const req = { headers: received.headers, body: JSON.parse(received.rawBody) as unknown }; // as express.json() would
    expect(seed003Verify(req, secret)).toBe(true);
    expect(seed003Verify(req, generateSecret('whsec_'))).toBe(false);
  });

  test('when the same delivery is checked by the standardwebhooks library, then Webhook.verify accepts it', async () => {
    const secret = generateSecret('whsec_');
    const body = JSON.stringify(event);
    const headers = signWebhook({ id: 'msg_2', timestamp: nowSeconds(), body, secrets: [secret], style: 'brand-prefixed' });
    const received = await deliver({ ...headers }, body);
    const wireHeaders = received.headers as Record<string, string>;
    expect(new Webhook(secret).verify(received.rawBody, wireHeaders)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret('whsec_')).verify(received.rawBody, wireHeaders)).toThrow();
  });

  test("when a room webhook is signed brand-hex, then seed 004's verifier accepts the lower-case hex signature", async () => {
    const secret = generateSecret('whsec_');
    const body = JSON.stringify({ event: 'ping', room: { name: 'Build Alerts', code: 'ABC123' }, body: 'CI: Production is live ✅' });
    const headers = signWebhook({ id: 'evt_3', timestamp: nowSeconds(), body, secrets: [secret], style: 'brand-hex' });
    expect(headers['X-Pingback-Signature']).toMatch(/^[0-9a-f]{64}$/);
    const received = await deliver({ ...headers }, body);
    const header = (name: string): string | undefined => received.headers[name.toLowerCase()] as string | undefined;
    expect(seed004Verify({ header, rawBody: received.rawBody }, secret)).toBe(true);
    expect(seed004Verify({ header, rawBody: `${received.rawBody} ` }, secret)).toBe(false);
  });

  test('when a secret is being rotated, then webhook-signature has one v1 entry per secret and the brand header only the current one', () => {
    const [current, previous] = [generateSecret('whsec_'), generateSecret('whsec_')];
    const body = JSON.stringify(event);
    const timestamp = nowSeconds();
    const headers = signWebhook({ id: 'evt_4', timestamp, body, secrets: [current, previous], style: 'brand-prefixed' });

    const entries = headers['webhook-signature'].split(' ');
    expect(entries).toEqual([standardSignature(current, 'evt_4', timestamp, body), standardSignature(previous, 'evt_4', timestamp, body)]);
    for (const entry of entries) expect(entry).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(headers['X-Pingback-Signature']).toBe(brandSignature(current, timestamp, body, 'brand-prefixed'));

    // receivers holding either secret accept: the one that has not rotated yet, and the one that has
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(verifyBrandSignature({ headers, body, secret: previous, style: 'brand-prefixed' })).toBe(false);
    expect(verifyBrandSignature({ headers, body, secret: [current, previous], style: 'brand-prefixed' })).toBe(true);
  });

  test('when the brand signature is computed, then its key is the whole secret string, prefix included', () => {
    const headers = signWebhook({ id: 'e', timestamp: 1705312200, body: '{}', secrets: ['whsec_c2VjcmV0'], style: 'brand-hex' });
    // printf '1705312200.{}' | openssl dgst -sha256 -hmac 'whsec_c2VjcmV0'
    expect(headers['X-Pingback-Signature']).toBe('36c93781c6ad31e24430f7c1dc97995a21c444433e8b1c2c7d415209946659af');
    expect(headers['X-Pingback-Timestamp']).toBe('1705312200');
    expect(headers['webhook-timestamp']).toBe('1705312200');
    expect(headers['webhook-id']).toBe('e');
  });

  test('when the Standard Webhooks test vector is signed, then the v1 signature is the published one', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secrets: [secret],
      style: 'brand-prefixed',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('when a secret is not whsec_<base64>, then the v1 signature is keyed by its UTF-8 bytes and still verifies', () => {
    const secret = generateSecret('whk_');
    const headers = signWebhook({ id: 'evt_5', timestamp: 1_800_000_000, body: '{}', secrets: [secret], style: 'brand-hex' });
    expect(headers['webhook-signature']).toBe(`v1,${createHmac('sha256', secret).update('evt_5.1800000000.{}').digest('base64')}`);
    expect(verifyStandardWebhook({ headers, body: '{}', secret, nowSeconds: 1_800_000_000 })).toBe(true);
  });

  test('when given no secret, a bad id or a fractional timestamp, then it throws', () => {
    expect(() => signWebhook({ id: 'e', timestamp: 1, body: '', secrets: [], style: 'brand-hex' })).toThrow(/secret/);
    expect(() => signWebhook({ id: 'a b', timestamp: 1, body: '', secrets: ['s'], style: 'brand-hex' })).toThrow(/id/);
    expect(() => signWebhook({ id: 'e', timestamp: 1.5, body: '', secrets: ['s'], style: 'brand-hex' })).toThrow(/timestamp/);
  });
});

describe('verifyBrandSignature and verifyStandardWebhook', () => {
  const secret = generateSecret('whsec_');
  const body = '{"ok":true}';
  const at = 1_800_000_000;
  const headers = signWebhook({ id: 'evt_9', timestamp: at, body, secrets: [secret], style: 'brand-prefixed' });

  test('when everything matches within the tolerance, then both accept, whatever the header case', () => {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyBrandSignature({ headers: lower, body, secret, style: 'brand-prefixed', nowSeconds: at + 299 })).toBe(true);
    expect(verifyStandardWebhook({ headers, body, secret, nowSeconds: at - 299 })).toBe(true);
  });

  test('when the timestamp is outside the tolerance, then both refuse', () => {
    expect(verifyBrandSignature({ headers, body, secret, style: 'brand-prefixed', nowSeconds: at + 301 })).toBe(false);
    expect(verifyStandardWebhook({ headers, body, secret, nowSeconds: at - 301 })).toBe(false);
  });

  test('when the body, the secret or the style differs, then they refuse', () => {
    expect(verifyBrandSignature({ headers, body: `${body} `, secret, style: 'brand-prefixed', nowSeconds: at })).toBe(false);
    expect(verifyBrandSignature({ headers, body, secret: `${secret}x`, style: 'brand-prefixed', nowSeconds: at })).toBe(false);
    expect(verifyBrandSignature({ headers, body, secret, style: 'brand-hex', nowSeconds: at })).toBe(false);
    expect(verifyStandardWebhook({ headers: { ...headers, 'webhook-id': 'evt_8' }, body, secret, nowSeconds: at })).toBe(false);
    expect(verifyStandardWebhook({ headers, body, secret: generateSecret('whsec_'), nowSeconds: at })).toBe(false);
  });

  test('when headers are missing, then they refuse', () => {
    expect(verifyBrandSignature({ headers: {}, body, secret, style: 'brand-prefixed', nowSeconds: at })).toBe(false);
    expect(verifyStandardWebhook({ headers: {}, body, secret, nowSeconds: at })).toBe(false);
  });
});
