import { constantTimeEqual, createKeyring, generateSecret, hashCandidates, hashSecret } from '@pingback/security';
import { randomSecretKey } from './fixtures/keys';

describe('generateSecret', () => {
  test.each(['pbk_', 'pbt_', 'whk_', 'pbs_'] as const)('when the prefix is %s, then it is followed by 32 random bytes in base64url', (prefix) => {
    const secret = generateSecret(prefix);
    expect(secret.startsWith(prefix)).toBe(true);
    const encoded = secret.slice(prefix.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(encoded, 'base64url')).toHaveLength(32);
  });

  test('when the prefix is whsec_, then it is followed by 32 random bytes in standard base64', () => {
    const secret = generateSecret('whsec_');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });

  test('when called twice, then the secrets differ', () => {
    expect(generateSecret('pbt_')).not.toBe(generateSecret('pbt_'));
  });
});

describe('hashSecret and hashCandidates', () => {
  test('when a value is hashed, then the hash is "<keyId>:<64 hex>" and repeatable', () => {
    const keyring = createKeyring(randomSecretKey());
    const hash = hashSecret(keyring, 'pbt_abc');
    expect(hash).toMatch(new RegExp(`^${keyring.currentKeyId}:[0-9a-f]{64}$`));
    expect(hashSecret(keyring, 'pbt_abc')).toBe(hash);
    expect(hashSecret(keyring, 'pbt_abd')).not.toBe(hash);
  });

  test('when the secret key is rotated, then a hash stored under the old key is among the candidates', () => {
    const oldKey = randomSecretKey();
    const stored = hashSecret(createKeyring(oldKey), 'pbk_token');
    const rotated = createKeyring(randomSecretKey(), [oldKey]);
    const candidates = hashCandidates(rotated, 'pbk_token');
    expect(candidates).toHaveLength(2);
    expect(candidates[0]).toBe(hashSecret(rotated, 'pbk_token'));
    expect(candidates).toContain(stored);
  });

  test('when two keyrings have different keys, then their hashes of one value differ', () => {
    expect(hashSecret(createKeyring(randomSecretKey()), 'x').split(':')[1]).not.toBe(
      hashSecret(createKeyring(randomSecretKey()), 'x').split(':')[1],
    );
  });
});

describe('constantTimeEqual', () => {
  test.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['é', 'e\u0301', false],
  ])('when comparing %j with %j, then %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});
