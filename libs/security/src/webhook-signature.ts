import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './secrets';

/** `sha256=<hex>` for everything (seed 003) except room outgoing webhooks, which send bare lower-case hex (seed 004). */
export type BrandSignatureStyle = 'brand-prefixed' | 'brand-hex';

export interface SignWebhookInput {
  /** Id of this one outgoing POST: the same on each of its retries. */
  id: string;
  /** Unix seconds, fresh on every attempt. */
  timestamp: number;
  /** The exact body that will be sent. */
  body: string;
  /** Current secret first, then older ones still inside their rotation window. */
  secrets: readonly string[];
  style: BrandSignatureStyle;
}

/** A type literal, not an interface, so it can be passed where a header record is expected. */
export type WebhookSignatureHeaders = {
  'X-Pingback-Timestamp': string;
  'X-Pingback-Signature': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Headers as a receiver sees them: any case, node's string | string[] values. */
export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;
const WHSEC_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  const { id, timestamp, body, secrets, style } = input;
  const [current] = secrets;
  if (current === undefined) throw new Error('signWebhook needs at least one secret');
  if (id === '' || /[\s,]/.test(id)) throw new Error('webhook id must be non-empty, without spaces or commas');
  assertTimestamp(timestamp);
  return {
    'X-Pingback-Timestamp': String(timestamp),
    'X-Pingback-Signature': brandSignature(current, timestamp, body, style),
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => standardSignature(secret, id, timestamp, body)).join(' '),
  };
}

/** HMAC-SHA256 keyed by the whole secret string over `${timestamp}.${body}`, as the seeds' verifiers compute it. */
export function brandSignature(secret: string, timestamp: number, body: string, style: BrandSignatureStyle): string {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return style === 'brand-prefixed' ? `sha256=${hex}` : hex;
}

/** Standard Webhooks `v1,<base64>` over `${id}.${timestamp}.${body}`, keyed by the bytes a `whsec_` secret encodes. */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', standardWebhookKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * `whsec_<base64>` → the decoded bytes (what Standard Webhooks libraries use). Any other string is not a
 * Standard Webhooks secret; it is used as its UTF-8 bytes, so a receiver must key its HMAC with the raw string.
 */
function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : '';
  if (encoded !== '' && BASE64.test(encoded)) {
    const key = Buffer.from(encoded, 'base64');
    if (key.length > 0) return key;
  }
  return Buffer.from(secret, 'utf8');
}

export interface VerifyBrandSignatureInput {
  headers: IncomingHeaders;
  /** The raw body bytes as received, before any JSON parsing. */
  body: string;
  /** One secret, or several while a rotation is under way. */
  secret: string | readonly string[];
  style: BrandSignatureStyle;
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** Checks X-Pingback-Signature / X-Pingback-Timestamp: right signature, timestamp within the tolerance. */
export function verifyBrandSignature(input: VerifyBrandSignatureInput): boolean {
  const signature = headerValue(input.headers, 'x-pingback-signature');
  const timestamp = parseFreshTimestamp(headerValue(input.headers, 'x-pingback-timestamp'), input);
  if (signature === undefined || timestamp === undefined) return false;
  return anyMatch(secretList(input.secret), [signature], (secret) => brandSignature(secret, timestamp, input.body, input.style));
}

export interface VerifyStandardWebhookInput {
  headers: IncomingHeaders;
  body: string;
  secret: string | readonly string[];
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** Checks webhook-id / webhook-timestamp / webhook-signature as a Standard Webhooks receiver does. */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): boolean {
  const id = headerValue(input.headers, 'webhook-id');
  const signatures = headerValue(input.headers, 'webhook-signature')?.split(' ').filter((entry) => entry.startsWith('v1,'));
  const timestamp = parseFreshTimestamp(headerValue(input.headers, 'webhook-timestamp'), input);
  if (!id || !signatures?.length || timestamp === undefined) return false;
  return anyMatch(secretList(input.secret), signatures, (secret) => standardSignature(secret, id, timestamp, input.body));
}

function anyMatch(secrets: readonly string[], received: readonly string[], expectedFor: (secret: string) => string): boolean {
  let matched = false;
  for (const secret of secrets) {
    const expected = expectedFor(secret);
    for (const candidate of received) if (constantTimeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

function secretList(secret: string | readonly string[]): readonly string[] {
  return typeof secret === 'string' ? [secret] : secret;
}

function headerValue(headers: IncomingHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function parseFreshTimestamp(
  value: string | undefined,
  { toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS, nowSeconds = Math.floor(Date.now() / 1000) }: { toleranceSeconds?: number; nowSeconds?: number },
): number | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  const timestamp = Number(value);
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds ? timestamp : undefined;
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error('webhook timestamp must be a whole number of Unix seconds');
  }
}
