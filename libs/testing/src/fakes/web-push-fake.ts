import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Ece {
  decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
}
// http_ece ships no types; the shape used here is its documented decrypt(buffer, params).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as Ece;

/** Push services refuse a body over 4096 bytes (RFC 8030 section 7.2). */
export const WEB_PUSH_MAX_BODY_BYTES = 4096;
/** A VAPID token may live at most 24 hours (RFC 8292 section 2). */
const MAX_VAPID_LIFETIME_SECONDS = 24 * 60 * 60;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

/** What a browser's `JSON.stringify(pushSubscription)` gives. */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedWebPush {
  endpoint: string;
  ttl: number;
  urgency: string | undefined;
  topic: string | undefined;
  /** The decrypted body as text, and parsed when it is JSON. */
  text: string;
  payload: unknown;
}

export interface WebPushFake {
  /** http://127.0.0.1:<port>, the push service's origin (the VAPID audience). */
  url: string;
  /** A browser subscribing with this application server key (the sender's VAPID public key, base64url). */
  subscribe(applicationServerKey: string): PushSubscriptionJson;
  /** Every push the fake accepted and decrypted, in order. */
  received: ReceivedWebPush[];
  /** The user unsubscribed: later pushes answer 410 Gone. */
  unsubscribe(subscription: PushSubscriptionJson): void;
  /** Later pushes answer 429 with `Retry-After: <seconds>`. */
  rateLimit(subscription: PushSubscriptionJson, retryAfterSeconds: number): void;
  /** Later pushes answer 500. */
  failWithServerError(subscription: PushSubscriptionJson): void;
  close(): Promise<void>;
}

interface Subscriber {
  endpoint: string;
  applicationServerKey: string;
  receiverKey: ECDH;
  authSecret: string;
  misbehaviour?: { status: 410 } | { status: 429; retryAfterSeconds: number } | { status: 500 };
}

type Answer = { status: number; message: string; headers?: Record<string, string> };

/**
 * A local push service (RFC 8030) that checks what a real one checks: a VAPID token signed by the key the
 * subscription was made with, for this origin, not expired and at most 24 h long; a TTL; an aes128gcm body it
 * decrypts with the subscriber's private key and auth secret, as the browser would.
 */
export async function startWebPushFake(): Promise<WebPushFake> {
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedWebPush[] = [];
  let origin = '';

  const answerPush = (request: IncomingMessage, body: Buffer): Answer => {
    const subscriber = subscribers.get(new URL(request.url ?? '/', origin).pathname);
    if (request.method !== 'POST') return { status: 405, message: 'only POST' };
    if (!subscriber) return { status: 404, message: 'no such subscription' };
    if (subscriber.misbehaviour?.status === 410) return { status: 410, message: 'the subscription has expired or was removed' };
    const vapidProblem = checkVapid(request.headers.authorization, subscriber.applicationServerKey, origin);
    if (vapidProblem) return vapidProblem;
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const ttl = header('ttl');
    if (ttl === undefined || !/^\d+$/.test(ttl)) return { status: 400, message: 'a TTL header (seconds) is required' };
    const urgency = header('urgency');
    if (urgency !== undefined && !URGENCIES.has(urgency)) return { status: 400, message: 'unknown Urgency' };
    const topic = header('topic');
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return { status: 400, message: 'Topic must be at most 32 base64url characters' };
    if (body.length > WEB_PUSH_MAX_BODY_BYTES) return { status: 413, message: 'payload too large' };
    if (header('content-encoding') !== 'aes128gcm') return { status: 415, message: 'Content-Encoding must be aes128gcm' };
    let text: string;
    try {
      text = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscriber.receiverKey, authSecret: subscriber.authSecret }).toString('utf8');
    } catch {
      return { status: 400, message: 'the body does not decrypt with the subscription keys' };
    }
    if (subscriber.misbehaviour?.status === 429) {
      return { status: 429, message: 'too many requests', headers: { 'retry-after': String(subscriber.misbehaviour.retryAfterSeconds) } };
    }
    if (subscriber.misbehaviour?.status === 500) return { status: 500, message: 'internal error' };
    received.push({ endpoint: subscriber.endpoint, ttl: Number(ttl), urgency, topic, text, payload: parseJson(text) });
    return { status: 201, message: '', headers: { location: `${origin}/message/${randomBytes(8).toString('hex')}` } };
  };

  const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= WEB_PUSH_MAX_BODY_BYTES + 1) chunks.push(chunk); // one byte over is enough to refuse it
    });
    request.on('end', () => {
      const answer = answerPush(request, Buffer.concat(chunks));
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const subscriberOf = (subscription: PushSubscriptionJson): Subscriber => {
    const subscriber = subscribers.get(new URL(subscription.endpoint).pathname);
    if (!subscriber) throw new Error(`not a subscription of this fake: ${subscription.endpoint}`);
    return subscriber;
  };

  return {
    url: origin,
    received,
    subscribe(applicationServerKey) {
      const receiverKey = createECDH('prime256v1');
      receiverKey.generateKeys();
      const path = `/push/${randomBytes(16).toString('hex')}`;
      const subscriber: Subscriber = { endpoint: `${origin}${path}`, applicationServerKey, receiverKey, authSecret: randomBytes(16).toString('base64url') };
      subscribers.set(path, subscriber);
      return {
        endpoint: subscriber.endpoint,
        expirationTime: null,
        keys: { p256dh: receiverKey.getPublicKey().toString('base64url'), auth: subscriber.authSecret },
      };
    },
    unsubscribe: (subscription) => void (subscriberOf(subscription).misbehaviour = { status: 410 }),
    rateLimit: (subscription, retryAfterSeconds) => void (subscriberOf(subscription).misbehaviour = { status: 429, retryAfterSeconds }),
    failWithServerError: (subscription) => void (subscriberOf(subscription).misbehaviour = { status: 500 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Undefined when `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292) is valid for this subscription and origin;
 * else the answer: 401 for a missing or broken token, 403 for a key other than the one subscribed with.
 */
function checkVapid(authorization: string | undefined, applicationServerKey: string, audience: string): Answer | undefined {
  const scheme = /^vapid\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!scheme) return { status: 401, message: 'a VAPID Authorization is required' };
  const params = new Map(scheme.split(',').map((part) => {
    const [name = '', ...value] = part.trim().split('=');
    return [name.toLowerCase(), value.join('=')] as const;
  }));
  const jwt = params.get('t');
  const key = params.get('k');
  if (!jwt || !key) return { status: 401, message: 'the VAPID Authorization needs t= and k=' };
  if (key !== applicationServerKey) return { status: 403, message: 'the VAPID key is not the one this subscription was made with' };
  const [encodedHeader, encodedClaims, encodedSignature, ...extra] = jwt.split('.');
  if (!encodedHeader || !encodedClaims || !encodedSignature || extra.length > 0) return { status: 401, message: 'the VAPID token is not a JWT' };
  const header = parseJson(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as Record<string, unknown> | undefined;
  const claims = parseJson(Buffer.from(encodedClaims, 'base64url').toString('utf8')) as Record<string, unknown> | undefined;
  if (header?.alg !== 'ES256') return { status: 401, message: 'the VAPID token must be ES256' };
  const publicKey = p256PublicKey(Buffer.from(key, 'base64url'));
  if (!publicKey) return { status: 401, message: 'k= is not an uncompressed P-256 public key' };
  const signed = verify('sha256', Buffer.from(`${encodedHeader}.${encodedClaims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(encodedSignature, 'base64url'));
  if (!signed) return { status: 401, message: 'the VAPID token signature does not verify with k=' };
  if (claims?.aud !== audience) return { status: 401, message: `the VAPID audience must be ${audience}` };
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { status: 401, message: 'the VAPID token has expired' };
  if (claims.exp > nowSeconds + MAX_VAPID_LIFETIME_SECONDS) return { status: 401, message: 'the VAPID token expires more than 24 hours from now' };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return { status: 401, message: 'the VAPID sub must be a mailto: or https: contact' };
  return undefined;
}

function p256PublicKey(point: Buffer): ReturnType<typeof createPublicKey> | undefined {
  if (point.length !== 65 || point[0] !== 0x04) return undefined;
  try {
    const x = point.subarray(1, 33).toString('base64url');
    const y = point.subarray(33).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
