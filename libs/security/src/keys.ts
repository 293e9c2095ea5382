import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Every use of PINGBACK_SECRET_KEY gets its own sub-key, so one purpose can never forge another's values. */
export const KEY_PURPOSES = ['token-hash', 'encryption', 'respond-link', 'message-tag', 'inbox-link', 'internal-call', 'approval-link', 'dashboard-csrf'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const MASTER_KEY_BYTES = 32;
const SUBKEY_BYTES = 32;
const HKDF_SALT = Buffer.from('pingback.keyring.v1', 'utf8');

export class InvalidSecretKeyError extends Error {
  readonly code = 'invalid_secret_key' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSecretKeyError';
  }
}

export class UnknownKeyIdError extends Error {
  readonly code = 'unknown_key_id' as const;
  constructor(readonly keyId: string) {
    super(`no secret key with id "${keyId}" is configured`);
    this.name = 'UnknownKeyIdError';
  }
}

export interface Keyring {
  /** Id of the key that makes every new value. */
  readonly currentKeyId: string;
  /** Every configured key id, current first: try each of them when verifying. */
  readonly keyIds: readonly string[];
  hasKey(keyId: string): boolean;
  /** The purpose's sub-key under `keyId` (default: the current key). Throws UnknownKeyIdError. */
  subkey(purpose: KeyPurpose, keyId?: string): Buffer;
  [Symbol.iterator](): Iterator<string>;
}

/**
 * Builds the keyring from PINGBACK_SECRET_KEY (32 random bytes, base64 or base64url) and any previous keys,
 * whose values keep verifying after a rotation. Key id: the first 8 hex characters of sha256(key).
 */
export function createKeyring(secretKeyBase64: string, previous: readonly string[] = []): Keyring {
  const current = decodeMasterKey(secretKeyBase64, 'PINGBACK_SECRET_KEY');
  const masters = new Map<string, Buffer>([[keyIdOf(current), current]]);
  previous.forEach((encoded, index) => {
    const key = decodeMasterKey(encoded, `previous secret key #${index + 1}`);
    const id = keyIdOf(key);
    const known = masters.get(id);
    if (known && !known.equals(key)) {
      throw new InvalidSecretKeyError(`two different secret keys share the key id "${id}"; generate a new key`);
    }
    masters.set(id, key);
  });

  const currentKeyId = keyIdOf(current);
  const keyIds = Object.freeze([...masters.keys()]);
  const derived = new Map<string, Buffer>();

  const subkey = (purpose: KeyPurpose, keyId: string = currentKeyId): Buffer => {
    if (!KEY_PURPOSES.includes(purpose)) throw new Error(`unknown key purpose "${String(purpose)}"`);
    const master = masters.get(keyId);
    if (!master) throw new UnknownKeyIdError(keyId);
    const cacheKey = `${keyId}/${purpose}`;
    let key = derived.get(cacheKey);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', master, HKDF_SALT, `pingback:${purpose}`, SUBKEY_BYTES));
      derived.set(cacheKey, key);
    }
    return Buffer.from(key); // a copy: callers cannot damage the cache
  };

  return {
    currentKeyId,
    keyIds,
    hasKey: (keyId) => masters.has(keyId),
    subkey,
    [Symbol.iterator]: () => keyIds[Symbol.iterator](),
  };
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodeMasterKey(encoded: string, name: string): Buffer {
  const hint = 'it must be 32 random bytes in base64 (for example the output of `openssl rand -base64 32`)';
  if (typeof encoded !== 'string' || encoded.trim() === '') throw new InvalidSecretKeyError(`${name} is empty: ${hint}`);
  const text = encoded.trim();
  const standard = BASE64.test(text);
  if (!standard && !BASE64URL.test(text)) {
    throw new InvalidSecretKeyError(`${name} is not valid base64: ${hint}`);
  }
  const key = Buffer.from(text, standard ? 'base64' : 'base64url');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new InvalidSecretKeyError(`${name} decodes to ${key.length} bytes, not ${MASTER_KEY_BYTES}: ${hint}`);
  }
  return key;
}

/** Why a value cannot be a secret key (for configuration checks), or undefined when it can. */
export function secretKeyProblem(encoded: string): string | undefined {
  try {
    decodeMasterKey(encoded, 'the key');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The credential our services send on every internal call (the current key's 'internal-call' sub-key). A request
 * a user makes us send (a webhook, a callback) never carries it, so it cannot reach an internal route.
 */
export function internalCallCredential(keyring: Keyring): string {
  return keyring.subkey('internal-call').toString('base64url');
}

/**
 * Whether `value` is the internal-call credential of any configured key, current or previous: during a rotation
 * the services still on the old key keep reaching the ones already on the new. Constant time per key.
 */
export function internalCallCheck(keyring: Keyring): (value: string | undefined) => boolean {
  const accepted = keyring.keyIds.map((keyId) => Buffer.from(keyring.subkey('internal-call', keyId).toString('base64url'), 'utf8'));
  return (value) => {
    if (typeof value !== 'string') return false;
    const given = Buffer.from(value, 'utf8');
    let ok = false;
    for (const expected of accepted) {
      if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
    }
    return ok;
  };
}
