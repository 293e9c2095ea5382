import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keys';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  readonly code = 'decryption_failed' as const;
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM under the current encryption sub-key: `"v1.<keyId>.<iv>.<ciphertext>.<tag>"` (base64url parts).
 * The version and key id are authenticated too, so a value cannot be relabelled to another key.
 */
export function encryptSecret(keyring: Keyring, plaintext: string): string {
  const keyId = keyring.currentKeyId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.subkey('encryption', keyId), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(keyId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

/** Decrypts with the key the value names. Throws DecryptionError for a malformed, foreign or tampered value. */
export function decryptSecret(keyring: Keyring, value: string): string {
  const parts = value.split('.');
  const [version, keyId, ivText, ciphertextText, tagText] = parts;
  if (parts.length !== 5 || version !== VERSION || !keyId || !ivText || ciphertextText === undefined || !tagText) {
    throw new DecryptionError('not an encrypted secret in the v1 format');
  }
  if (!keyring.hasKey(keyId)) {
    throw new DecryptionError(`encrypted under key "${keyId}", which is not configured`);
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed encrypted secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyring.subkey('encryption', keyId), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('encrypted secret failed authentication');
  }
}

function associatedData(keyId: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}`, 'utf8');
}
