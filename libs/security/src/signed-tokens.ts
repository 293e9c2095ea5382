import { createHmac } from 'node:crypto';
import { ulid } from './pooled-random';
import type { KeyPurpose, Keyring } from './keys';
import { constantTimeEqual } from './secrets';

/** Purposes whose sub-key signs ids into link tokens. */
export type SignedIdPurpose = Extract<KeyPurpose, 'respond-link' | 'inbox-link' | 'approval-link' | 'dashboard-csrf'>;

const SIGNED_ID_MAC_CHARS = 22;
const MESSAGE_TAG_CHARS = 10;
const MAX_TOKEN_CHARS = 256;
const MESSAGE_ID_PATTERN = /^msg_([0-9A-HJKMNP-TV-Z]{26})([A-Za-z0-9_-]{10})$/;
/** `{id}.{base64url(HMAC(purpose key, id))}` cut to 22 characters: a link token that needs no storage. */
export function signId(keyring: Keyring, purpose: SignedIdPurpose, id: string): string {
  if (id === '' || id.includes('.')) throw new Error('a signed id must be non-empty and contain no "."');
  return `${id}.${macOf(keyring, purpose, keyring.currentKeyId, id, SIGNED_ID_MAC_CHARS)}`;
}

/** The id inside a token made by signId under any configured key, or null. Checks every key every time. */
export function verifySignedId(keyring: Keyring, purpose: SignedIdPurpose, token: string): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  return matchesUnderAnyKey(keyring, purpose, id, mac, SIGNED_ID_MAC_CHARS) ? id : null;
}

/**
 * `msg_` + ULID + a 10-character base64url tag, HMAC(message-tag key, ulid + channelId): a poll can tell an id
 * issued for this channel (answer `pending` until it is recorded) from a made-up one (404).
 */
export function createMessageId(keyring: Keyring, channelId: string): string {
  const time = ulid();
  return `msg_${time}${macOf(keyring, 'message-tag', keyring.currentKeyId, time + channelId, MESSAGE_TAG_CHARS)}`;
}

/** Whether createMessageId made this id for this channel, under any configured key. */
export function messageIdBelongsTo(keyring: Keyring, messageId: string, channelId: string): boolean {
  if (typeof messageId !== 'string') return false;
  const match = MESSAGE_ID_PATTERN.exec(messageId);
  if (!match) return false;
  const [, time = '', tag = ''] = match;
  return matchesUnderAnyKey(keyring, 'message-tag', time + channelId, tag, MESSAGE_TAG_CHARS);
}

function macOf(keyring: Keyring, purpose: KeyPurpose, keyId: string, input: string, chars: number): string {
  return createHmac('sha256', keyring.subkey(purpose, keyId)).update(input, 'utf8').digest('base64url').slice(0, chars);
}

function matchesUnderAnyKey(keyring: Keyring, purpose: KeyPurpose, input: string, mac: string, chars: number): boolean {
  let matched = false;
  for (const keyId of keyring.keyIds) {
    // no early exit: the work does not depend on which key (if any) matches
    if (constantTimeEqual(macOf(keyring, purpose, keyId, input, chars), mac)) matched = true;
  }
  return matched;
}
