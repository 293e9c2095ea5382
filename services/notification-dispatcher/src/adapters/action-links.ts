import type { CarriedAction } from '@pingback/contracts';
import type { OutgoingNotification } from './adapter';

/**
 * A button action as a link: to the delivery's respond page, which asks before it answers (GET never does), or to
 * the button's own link when it carries one.
 */
export interface ActionLink {
  key: string;
  label: string;
  style: 'default' | 'primary' | 'destructive' | undefined;
  url: string;
}

export const actionUrl = (respondUrl: string, key: string): string => `${respondUrl}?action=${encodeURIComponent(key)}`;

/** Where pressing the button goes: its own link (an approval's decision page), else the respond page for its key. */
export const buttonUrl = (action: Pick<CarriedAction, 'key' | 'url'>, respondUrl: string): string =>
  action.url ?? actionUrl(respondUrl, action.key);

/** One link per button action; selects and text inputs are answered on the page itself. */
export function actionLinks(notification: Pick<OutgoingNotification, 'actions' | 'respondUrl'>): ActionLink[] {
  return notification.actions
    .filter((action) => action.type === 'button')
    .map((action) => ({ key: action.key, label: action.label, style: action.style, url: buttonUrl(action, notification.respondUrl) }));
}

/** The respond page itself, for messages with select or text inputs (no button can carry them). */
export const answerUrlOf = (notification: Pick<OutgoingNotification, 'actions' | 'respondUrl'>): string | undefined =>
  notification.actions.some((action) => action.type !== 'button') ? notification.respondUrl : undefined;


/** The longest start of `text` (whole characters) that, with "…" after it, still fits; "" when none does. */
export function shortenToFit(text: string, fits: (candidate: string) => boolean): string {
  const characters = Array.from(text);
  let longest = -1;
  let [low, high] = [0, characters.length - 1];
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(`${characters.slice(0, middle).join('')}…`)) {
      longest = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return longest < 0 ? '' : `${characters.slice(0, longest).join('')}…`;
}

/**
 * The payload `build` makes for the notification, within `maxBytes` of JSON: whole when it fits, else with its
 * body (then its title) cut short with "…" (a push service refuses a larger one).
 */
export function fitPayload(
  maxBytes: number,
  notification: Pick<OutgoingNotification, 'title' | 'body'>,
  build: (title: string, body: string | null) => Record<string, unknown>,
): Record<string, unknown> {
  const fits = (payload: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(payload)) <= maxBytes;
  const whole = build(notification.title, notification.body);
  if (fits(whole)) return whole;
  const body = notification.body === null ? null : shortenToFit(notification.body, (text) => fits(build(notification.title, text)));
  const title = shortenToFit(notification.title, (text) => fits(build(text, body)));
  return build(title, body);
}
