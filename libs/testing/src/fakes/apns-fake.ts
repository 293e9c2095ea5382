import { generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto';
import http2, { type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { selfSignedLoopbackCertificate } from './self-signed-tls';

/** APNs refuses a payload over 4 KB (alert notifications). */
export const APNS_MAX_PAYLOAD_BYTES = 4096;
/** APNs refuses a provider token issued more than an hour ago. */
const PROVIDER_TOKEN_LIFETIME_SECONDS = 3600;
/** Room for clocks that differ a little: a token "issued" slightly in the future still passes. */
const CLOCK_SKEW_SECONDS = 60;
const PUSH_TYPES = new Set(['alert', 'background', 'voip', 'complication', 'fileprovider', 'mdm', 'liveactivity', 'location', 'pushtotalk', 'widgets']);

export interface ApnsFakeOptions {
  teamId?: string;
  keyId?: string;
  /** The app's bundle id: the only `apns-topic` accepted. */
  topic?: string;
}

export interface AcceptedApnsPush {
  deviceToken: string;
  /** The request's `apns-*` headers. */
  headers: Record<string, string>;
  payload: Record<string, unknown>;
  /** Size of the JSON body in bytes. */
  payloadBytes: number;
}

export interface ApnsFake {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The fake's self-signed certificate (PEM): trust it as `ca`. */
  ca: string;
  /** The `.p8` signing key (PKCS#8 PEM) whose provider tokens the fake accepts. */
  signingKey: string;
  keyId: string;
  teamId: string;
  topic: string;
  /** Every push the fake accepted, in order. */
  pushes: AcceptedApnsPush[];
  /** Later pushes to this token answer 410 Unregistered (the app was removed at `at`). */
  unregister(deviceToken: string, at?: Date): void;
  /** Later pushes to this token answer 429 TooManyRequests. */
  rateLimit(deviceToken: string): void;
  /** Later pushes to this token answer 500 InternalServerError. */
  failWithServerError(deviceToken: string): void;
  /** Later pushes to this token never get an answer. */
  hang(deviceToken: string): void;
  close(): Promise<void>;
}

type Refusal = { status: number; reason: string; timestamp?: number };
type Misbehaviour = { kind: 'unregistered'; at: number } | { kind: 'rate-limited' } | { kind: 'server-error' } | { kind: 'hang' };

/**
 * A local APNs provider API (HTTP/2 over TLS on loopback) that checks what Apple checks: an ES256 provider token
 * from the expected key and team, the topic, the device token's form, the apns-* headers and the 4 KB limit.
 */
export async function startApnsFake(options: ApnsFakeOptions = {}): Promise<ApnsFake> {
  const keyId = options.keyId ?? 'ABC123DEFG';
  const teamId = options.teamId ?? 'DEF123GHIJ';
  const topic = options.topic ?? 'dev.pingback.app';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const tls = await selfSignedLoopbackCertificate();
  const pushes: AcceptedApnsPush[] = [];
  const misbehaviours = new Map<string, Misbehaviour>();
  const sessions = new Set<ServerHttp2Session>();

  const refuseOrAccept = (headers: IncomingHttpHeaders, body: Buffer): Refusal | { deviceToken: string; payload: Record<string, unknown> } | 'hang' => {
    const match = /^\/3\/device\/([^/?]+)$/.exec(String(headers[':path']));
    if (!match?.[1]) return { status: 404, reason: 'BadPath' };
    if (headers[':method'] !== 'POST') return { status: 405, reason: 'MethodNotAllowed' };
    const tokenProblem = checkProviderToken(headers.authorization, { keyId, teamId, publicKey });
    if (tokenProblem) return { status: 403, reason: tokenProblem };
    if (headers['apns-topic'] === undefined) return { status: 400, reason: 'MissingTopic' };
    if (headers['apns-topic'] !== topic) return { status: 400, reason: 'TopicDisallowed' };
    const deviceToken = decodeURIComponent(match[1]);
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(deviceToken)) return { status: 400, reason: 'BadDeviceToken' };
    const headerProblem = checkApnsHeaders(headers);
    if (headerProblem) return { status: 400, reason: headerProblem };
    if (body.length > APNS_MAX_PAYLOAD_BYTES) return { status: 413, reason: 'PayloadTooLarge' };
    if (body.length === 0) return { status: 400, reason: 'PayloadEmpty' };
    const payload = parseObject(body);
    if (!payload || typeof payload.aps !== 'object' || payload.aps === null) return { status: 400, reason: 'BadPayload' };
    const misbehaviour = misbehaviours.get(deviceToken.toLowerCase());
    if (misbehaviour?.kind === 'hang') return 'hang';
    if (misbehaviour?.kind === 'unregistered') return { status: 410, reason: 'Unregistered', timestamp: misbehaviour.at };
    if (misbehaviour?.kind === 'rate-limited') return { status: 429, reason: 'TooManyRequests' };
    if (misbehaviour?.kind === 'server-error') return { status: 500, reason: 'InternalServerError' };
    return { deviceToken, payload };
  };

  const handle = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer): void => {
    const outcome = refuseOrAccept(headers, body);
    if (outcome === 'hang' || stream.destroyed) return;
    const apnsId = typeof headers['apns-id'] === 'string' ? headers['apns-id'] : randomUUID();
    if ('reason' in outcome) {
      const answer = outcome.timestamp === undefined ? { reason: outcome.reason } : { reason: outcome.reason, timestamp: outcome.timestamp };
      stream.respond({ ':status': outcome.status, 'apns-id': apnsId, 'content-type': 'application/json' });
      stream.end(JSON.stringify(answer));
      return;
    }
    pushes.push({ deviceToken: outcome.deviceToken, headers: apnsHeadersOf(headers), payload: outcome.payload, payloadBytes: body.length });
    stream.respond({ ':status': 200, 'apns-id': apnsId });
    stream.end();
  };

  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => handle(stream, headers, Buffer.concat(chunks)));
    stream.on('error', () => undefined); // a client that cancels a hung stream is expected
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    ca: tls.cert,
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyId,
    teamId,
    topic,
    pushes,
    unregister: (deviceToken, at = new Date()) => misbehaviours.set(deviceToken.toLowerCase(), { kind: 'unregistered', at: at.getTime() }),
    rateLimit: (deviceToken) => misbehaviours.set(deviceToken.toLowerCase(), { kind: 'rate-limited' }),
    failWithServerError: (deviceToken) => misbehaviours.set(deviceToken.toLowerCase(), { kind: 'server-error' }),
    hang: (deviceToken) => misbehaviours.set(deviceToken.toLowerCase(), { kind: 'hang' }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Undefined when the `authorization: bearer <JWT>` is a fresh ES256 provider token from this key and team; else APNs' reason. */
function checkProviderToken(
  authorization: string | undefined,
  expected: { keyId: string; teamId: string; publicKey: KeyObject },
): string | undefined {
  const jwt = /^bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!jwt) return 'MissingProviderToken';
  const [encodedHeader, encodedClaims, encodedSignature, ...extra] = jwt.split('.');
  if (!encodedHeader || !encodedClaims || !encodedSignature || extra.length > 0) return 'InvalidProviderToken';
  const header = parseObject(Buffer.from(encodedHeader, 'base64url'));
  const claims = parseObject(Buffer.from(encodedClaims, 'base64url'));
  if (header?.alg !== 'ES256' || header.kid !== expected.keyId) return 'InvalidProviderToken';
  if (claims?.iss !== expected.teamId || typeof claims.iat !== 'number') return 'InvalidProviderToken';
  const signed = verify(
    'sha256',
    Buffer.from(`${encodedHeader}.${encodedClaims}`),
    { key: expected.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(encodedSignature, 'base64url'),
  );
  if (!signed) return 'InvalidProviderToken';
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return 'InvalidProviderToken';
  if (nowSeconds - claims.iat > PROVIDER_TOKEN_LIFETIME_SECONDS) return 'ExpiredProviderToken';
  return undefined;
}

function checkApnsHeaders(headers: IncomingHttpHeaders): string | undefined {
  const pushType = headers['apns-push-type'];
  if (pushType !== undefined && !PUSH_TYPES.has(String(pushType))) return 'InvalidPushType';
  const priority = headers['apns-priority'];
  if (priority !== undefined && !['1', '5', '10'].includes(String(priority))) return 'BadPriority';
  const expiration = headers['apns-expiration'];
  if (expiration !== undefined && !/^\d+$/.test(String(expiration))) return 'BadExpirationDate';
  return undefined;
}

function apnsHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('apns-') && value !== undefined) picked[name] = String(value);
  return picked;
}

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
