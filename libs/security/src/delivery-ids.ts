import { createHash } from 'node:crypto';

const MESSAGE_ID = /^msg_([0-9A-HJKMNP-TV-Z]{26}[A-Za-z0-9_-]{10})$/;
const DERIVED_DELIVERY_ID = /^dlv_([0-9A-HJKMNP-TV-Z]{26}[A-Za-z0-9_-]{10})[A-Za-z0-9_-]{12}$/;

/**
 * The id of a message's delivery to one destination in one round: `dlv_` + the message id's body + 12 characters
 * of a hash of round and destination. The same inputs always give the same id, so a fan-out page that runs twice
 * makes no second delivery; and the message id can be read back from it, so response-store finds the message of
 * any of ten thousand respond links without a row per delivery (CONTRACT §11).
 */
export function deliveryIdFor(messageId: string, round: string, destinationId: string): string {
  const body = MESSAGE_ID.exec(messageId)?.[1];
  if (!body) throw new Error(`not a message id: ${messageId}`);
  const suffix = createHash('sha256').update(`${round}\u0000${destinationId}`).digest('base64url').slice(0, 12);
  return `dlv_${body}${suffix}`;
}

/** The message a derived delivery id belongs to, or null for any other id (a web delivery's, a made-up one). */
export function messageIdOfDelivery(deliveryId: string): string | null {
  const body = DERIVED_DELIVERY_ID.exec(deliveryId)?.[1];
  return body ? `msg_${body}` : null;
}
