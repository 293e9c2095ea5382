import { signId, type Keyring } from '@pingback/security';

/** Each delivery has its own respond link; its token is derived from the delivery id (CONTRACT §5). */
export function respondUrl(publicUrl: string, keyring: Keyring, deliveryId: string): string {
  return new URL(`/r/${signId(keyring, 'respond-link', deliveryId)}`, publicUrl).toString();
}
