// A Telegram button's `callback_data`: written by the dispatcher's adapter, read by the gateway when Telegram POSTs
// the press to `/v1/telegram/{secret}`.

/** Telegram refuses a button whose callback_data is longer (CONTRACT §9). */
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface PressedButton {
  deliveryId: string;
  /** The pressed action's position in the message's `actions`. */
  actionIndex: number;
}

const CALLBACK_DATA = /^(dlv_[0-9A-Za-z_-]+):(0|[1-9][0-9]{0,2})$/;

/** `${deliveryId}:${actionIndex}`: the press names its delivery, so the gateway needs no lookup table. */
export function encodeCallbackData(deliveryId: string, actionIndex: number): string {
  const data = `${deliveryId}:${actionIndex}`;
  const decoded = decodeCallbackData(data);
  if (decoded === null || decoded.deliveryId !== deliveryId || decoded.actionIndex !== actionIndex) {
    throw new RangeError(`cannot encode callback_data for delivery "${deliveryId}" and action ${actionIndex}`);
  }
  return data;
}

/** What a pressed button's callback_data names; null for anything the dispatcher did not write. */
export function decodeCallbackData(data: unknown): PressedButton | null {
  if (typeof data !== 'string' || Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_DATA_BYTES) return null;
  const match = CALLBACK_DATA.exec(data);
  if (!match) return null;
  return { deliveryId: match[1]!, actionIndex: Number(match[2]) };
}
