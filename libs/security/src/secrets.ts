import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keyring } from './keys';

/** `pbk_` API key, `pbt_` channel token, `whsec_` signing secret, `whk_` room webhook secret, `pbs_` dashboard session. */
export const SECRET_PREFIXES = ['pbk_', 'pbt_', 'whsec_', 'whk_', 'pbs_'] as const;
export type SecretPrefix = (typeof SECRET_PREFIXES)[number];

const SECRET_BYTES = 32;

/**
 * A new secret: the prefix and 32 random bytes in base64url. Signing secrets (`whsec_`) use standard base64,
 * as Standard Webhooks libraries expect.
 */
export function generateSecret(prefix: SecretPrefix): string {
  if (!SECRET_PREFIXES.includes(prefix)) throw new Error(`unknown secret prefix "${String(prefix)}"`);
  const bytes = randomBytes(SECRET_BYTES);
  return prefix + bytes.toString(prefix === 'whsec_' ? 'base64' : 'base64url');
}

/** What to store for an API key or channel token: `"<keyId>:<hex HMAC-SHA256>"` under the current key. */
export function hashSecret(keyring: Keyring, value: string): string {
  return hashUnder(keyring, keyring.currentKeyId, value);
}

/** The value's hash under every configured key, current first: look each up by the unique index. */
export function hashCandidates(keyring: Keyring, value: string): string[] {
  return keyring.keyIds.map((keyId) => hashUnder(keyring, keyId, value));
}

function hashUnder(keyring: Keyring, keyId: string, value: string): string {
  const mac = createHmac('sha256', keyring.subkey('token-hash', keyId)).update(value, 'utf8').digest('hex');
  return `${keyId}:${mac}`;
}

/** Compares two strings without leaking where they differ or how long either is: both are hashed first. */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
