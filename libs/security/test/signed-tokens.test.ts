import { createKeyring, createMessageId, messageIdBelongsTo, newId, signId, verifySignedId } from '@pingback/security';
import { randomSecretKey } from './fixtures/keys';

describe('signId and verifySignedId', () => {
  const keyring = createKeyring(randomSecretKey());

  test('when an id is signed, then the token is "<id>.<22 base64url chars>" and verifies back to the id', () => {
    const id = newId('dlv_');
    const token = signId(keyring, 'respond-link', id);
    expect(token).toMatch(new RegExp(`^${id}\\.[A-Za-z0-9_-]{22}$`));
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifySignedId(keyring, 'respond-link', token)).toBe(id);
    expect(signId(keyring, 'respond-link', id)).toBe(token);
  });

  test('when a token is checked for another purpose, then it is refused', () => {
    const token = signId(keyring, 'respond-link', 'dlv_1');
    expect(verifySignedId(keyring, 'inbox-link', token)).toBeNull();
  });

  test('when the id or the signature is altered, then it is refused', () => {
    const token = signId(keyring, 'inbox-link', 'ch_01ABC');
    const [id, mac] = token.split('.') as [string, string];
    expect(verifySignedId(keyring, 'inbox-link', `ch_01ABD.${mac}`)).toBeNull();
    expect(verifySignedId(keyring, 'inbox-link', `${id}.${mac.slice(0, 21)}`)).toBeNull();
    expect(verifySignedId(keyring, 'inbox-link', `${id}.${mac}A`)).toBeNull();
    const flipped = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
    expect(verifySignedId(keyring, 'inbox-link', `${id}.${flipped}`)).toBeNull();
  });

  test.each(['', '.', 'nodot', '.abcdefghijklmnopqrstuv', 'x'.repeat(300)])('when the token is %j, then it is refused', (token) => {
    expect(verifySignedId(keyring, 'respond-link', token)).toBeNull();
  });

  test('when the secret key has been rotated, then a token made under the old key still verifies', () => {
    const oldKey = randomSecretKey();
    const token = signId(createKeyring(oldKey), 'respond-link', 'dlv_old');
    const rotated = createKeyring(randomSecretKey(), [oldKey]);
    expect(verifySignedId(rotated, 'respond-link', token)).toBe('dlv_old');
    expect(verifySignedId(createKeyring(randomSecretKey()), 'respond-link', token)).toBeNull();
  });

  test('when the id contains a dot, then signId refuses it', () => {
    expect(() => signId(keyring, 'respond-link', 'a.b')).toThrow();
    expect(() => signId(keyring, 'respond-link', '')).toThrow();
  });
});

describe('createMessageId and messageIdBelongsTo', () => {
  const keyring = createKeyring(randomSecretKey());

  test('when a message id is made, then it is msg_, a ULID and a 10-character URL-safe tag', () => {
    const id = createMessageId(keyring, 'ch_1');
    expect(id).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}[A-Za-z0-9_-]{10}$/);
    expect(encodeURIComponent(id)).toBe(id);
  });

  test('when asked about the channel it was made for, then true; for another channel, false', () => {
    const id = createMessageId(keyring, 'ch_1');
    expect(messageIdBelongsTo(keyring, id, 'ch_1')).toBe(true);
    expect(messageIdBelongsTo(keyring, id, 'ch_2')).toBe(false);
  });

  test('when an id is made up or altered, then false', () => {
    const id = createMessageId(keyring, 'ch_1');
    const tag = id.slice(-10);
    const otherTime = createMessageId(keyring, 'ch_1').slice(4, 30);
    expect(messageIdBelongsTo(keyring, `msg_${otherTime}${tag}`, 'ch_1')).toBe(false);
    expect(messageIdBelongsTo(keyring, newId('msg_'), 'ch_1')).toBe(false);
    expect(messageIdBelongsTo(keyring, `${id}x`, 'ch_1')).toBe(false);
    expect(messageIdBelongsTo(keyring, id.slice(0, -1), 'ch_1')).toBe(false);
    expect(messageIdBelongsTo(keyring, 'msg_a1b2c3d4e5', 'ch_1')).toBe(false);
    expect(messageIdBelongsTo(keyring, '', 'ch_1')).toBe(false);
  });

  test('when the secret key has been rotated, then ids made under the old key still belong', () => {
    const oldKey = randomSecretKey();
    const id = createMessageId(createKeyring(oldKey), 'ch_9');
    expect(messageIdBelongsTo(createKeyring(randomSecretKey(), [oldKey]), id, 'ch_9')).toBe(true);
    expect(messageIdBelongsTo(createKeyring(randomSecretKey()), id, 'ch_9')).toBe(false);
  });
});
