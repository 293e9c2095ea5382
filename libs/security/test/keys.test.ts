import { createHash, randomBytes } from 'node:crypto';
import { createKeyring, InvalidSecretKeyError, KEY_PURPOSES, UnknownKeyIdError } from '@pingback/security';
import { randomSecretKey } from './fixtures/keys';

describe('createKeyring', () => {
  test('when given 32 bytes of base64, then the key id is the first 8 hex characters of its sha256', () => {
    const key = randomBytes(32);
    const keyring = createKeyring(key.toString('base64'));
    expect(keyring.currentKeyId).toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
    expect(keyring.keyIds).toEqual([keyring.currentKeyId]);
  });

  test('when the key is base64url without padding, then it is accepted as the same key', () => {
    const key = randomBytes(32);
    expect(createKeyring(key.toString('base64url')).currentKeyId).toBe(createKeyring(key.toString('base64')).currentKeyId);
  });

  test.each([
    ['empty', ''],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['not base64', 'this is not a key!'],
  ])('when the key is %s, then it throws a clear InvalidSecretKeyError that does not echo the value', (_name, value) => {
    let thrown: unknown;
    try {
      createKeyring(value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidSecretKeyError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/PINGBACK_SECRET_KEY/);
    expect(message).toMatch(/32 random bytes in base64/);
    if (value !== '') expect(message).not.toContain(value);
  });

  test('when a previous key is malformed, then the error names which one', () => {
    expect(() => createKeyring(randomSecretKey(), [randomSecretKey(), 'short'])).toThrow(/previous secret key #2/);
  });

  test('when previous keys are given, then every key id is listed current first and the keyring iterates them', () => {
    const [current, old1, old2] = [randomSecretKey(), randomSecretKey(), randomSecretKey()];
    const keyring = createKeyring(current, [old1, old2, old1, current]);
    expect(keyring.keyIds).toEqual([
      createKeyring(current).currentKeyId,
      createKeyring(old1).currentKeyId,
      createKeyring(old2).currentKeyId,
    ]);
    expect([...keyring]).toEqual(keyring.keyIds);
    expect(keyring.hasKey(createKeyring(old2).currentKeyId)).toBe(true);
    expect(keyring.hasKey('00000000')).toBe(false);
  });

  test('when sub-keys are derived, then each purpose gets its own 32-byte key, stable across keyrings', () => {
    const secret = randomSecretKey();
    const keyring = createKeyring(secret);
    const subkeys = KEY_PURPOSES.map((purpose) => keyring.subkey(purpose).toString('hex'));
    expect(new Set(subkeys).size).toBe(KEY_PURPOSES.length);
    for (const hex of subkeys) expect(hex).toHaveLength(64);
    expect(subkeys).not.toContain(Buffer.from(secret, 'base64').toString('hex'));
    expect(createKeyring(secret).subkey('encryption')).toEqual(keyring.subkey('encryption'));
  });

  test('when an old key id is asked for, then its sub-key is the one that key alone derives', () => {
    const old = randomSecretKey();
    const keyring = createKeyring(randomSecretKey(), [old]);
    const oldAlone = createKeyring(old);
    expect(keyring.subkey('token-hash', oldAlone.currentKeyId)).toEqual(oldAlone.subkey('token-hash'));
    expect(keyring.subkey('token-hash')).not.toEqual(oldAlone.subkey('token-hash'));
  });

  test('when an unknown key id is asked for, then UnknownKeyIdError', () => {
    expect(() => createKeyring(randomSecretKey()).subkey('encryption', 'deadbeef')).toThrow(UnknownKeyIdError);
  });

  test('when a caller scribbles on a returned sub-key, then the keyring is unaffected', () => {
    const keyring = createKeyring(randomSecretKey());
    const before = keyring.subkey('respond-link');
    keyring.subkey('respond-link').fill(0);
    expect(keyring.subkey('respond-link')).toEqual(before);
  });
});
