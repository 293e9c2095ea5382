import { createKeyring, decryptSecret, DecryptionError, encryptSecret } from '@pingback/security';
import { randomSecretKey } from './fixtures/keys';

describe('encryptSecret and decryptSecret', () => {
  const keyring = createKeyring(randomSecretKey());

  test('when a secret is encrypted, then the value is v1.<keyId>.<iv>.<ciphertext>.<tag> and decrypts back', () => {
    const plaintext = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+ü✅';
    const value = encryptSecret(keyring, plaintext);
    expect(value).toMatch(new RegExp(`^v1\\.${keyring.currentKeyId}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    expect(value).not.toContain('MfKQ9r8G');
    expect(decryptSecret(keyring, value)).toBe(plaintext);
  });

  test('when the same secret is encrypted twice, then the values differ (fresh IV)', () => {
    expect(encryptSecret(keyring, 'same')).not.toBe(encryptSecret(keyring, 'same'));
  });

  test('when the plaintext is empty, then it still round-trips', () => {
    expect(decryptSecret(keyring, encryptSecret(keyring, ''))).toBe('');
  });

  test('when the secret key has been rotated, then a value made under the old key still decrypts', () => {
    const oldKey = randomSecretKey();
    const value = encryptSecret(createKeyring(oldKey), 'old secret');
    const rotated = createKeyring(randomSecretKey(), [oldKey]);
    expect(decryptSecret(rotated, value)).toBe('old secret');
    expect(encryptSecret(rotated, 'new').split('.')[1]).toBe(rotated.currentKeyId);
  });

  test('when the key that made a value is no longer configured, then DecryptionError names the key id', () => {
    const value = encryptSecret(createKeyring(randomSecretKey()), 'x');
    expect(() => decryptSecret(keyring, value)).toThrow(DecryptionError);
    expect(() => decryptSecret(keyring, value)).toThrow(value.split('.')[1] as string);
  });

  test.each([
    ['the ciphertext', 3],
    ['the tag', 4],
    ['the iv', 2],
  ])('when %s is tampered with, then DecryptionError', (_part, index) => {
    const parts = encryptSecret(keyring, 'a secret worth keeping').split('.');
    const bytes = Buffer.from(parts[index] as string, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    parts[index] = bytes.toString('base64url');
    expect(() => decryptSecret(keyring, parts.join('.'))).toThrow(DecryptionError);
  });

  test('when a value is relabelled with another configured key id, then DecryptionError', () => {
    const other = randomSecretKey();
    const both = createKeyring(randomSecretKey(), [other]);
    const parts = encryptSecret(both, 'x').split('.');
    parts[1] = createKeyring(other).currentKeyId;
    expect(() => decryptSecret(both, parts.join('.'))).toThrow(DecryptionError);
  });

  test.each(['', 'plain', 'v2.a.b.c.d', 'v1.a.b.c', 'v1.....'])('when the value is %j, then DecryptionError', (value) => {
    expect(() => decryptSecret(keyring, value)).toThrow(DecryptionError);
  });
});
