import { encodeCallbackData, type CarriedAction } from '@pingback/contracts';

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/**
 * One row per button action, pressed in the chat, or opening the button's own link when it carries one. Select
 * and text actions cannot be answered from a button, so an "Open" link to the respond page follows when there are
 * any.
 */
export function inlineKeyboard(deliveryId: string, actions: readonly CarriedAction[], respondUrl: string): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  actions.forEach((action, index) => {
    if (action.type !== 'button') return;
    rows.push([action.url ? { text: action.label, url: action.url } : { text: action.label, callback_data: encodeCallbackData(deliveryId, index) }]);
  });
  if (actions.some((action) => action.type !== 'button')) rows.push([{ text: 'Open', url: respondUrl }]);
  return rows;
}
