import type { OutgoingNotification } from './adapter';
import { readableUtc } from '@pingback/contracts';
import { buttonUrl } from './action-links';

/** The Block Kit limits Slack enforces (https://api.slack.com/reference/block-kit). */
const HEADER_MAX_CHARS = 150;
const SECTION_MAX_CHARS = 3000;
const BUTTON_TEXT_MAX_CHARS = 75;
const ACTIONS_MAX_ELEMENTS = 25;
const FALLBACK_MAX_CHARS = 3000;

interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
interface LinkButton {
  type: 'button';
  text: PlainText;
  url: string;
  action_id: string;
  style?: 'primary' | 'danger';
}
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'actions'; elements: LinkButton[] }
  | { type: 'context'; elements: Mrkdwn[] };

export interface SlackMessage {
  /** Shown where blocks cannot be: notifications, old clients. */
  text: string;
  blocks: SlackBlock[];
}

/** One delivery as a Slack message: the buttons link to the respond page, which asks before it answers, or to their own link. */
export function slackMessage(notification: OutgoingNotification): SlackMessage {
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cut(notification.title, HEADER_MAX_CHARS), emoji: true } }];
  if (notification.body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(notification.body, SECTION_MAX_CHARS) } });
  const buttons = linkButtons(notification);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: expiryLine(notification.expiresAt) }] });
  const fallback = notification.body ? `${notification.title}: ${notification.body}` : notification.title;
  return { text: escapeMrkdwn(fallback, FALLBACK_MAX_CHARS), blocks };
}

function linkButtons({ actions, respondUrl }: OutgoingNotification): LinkButton[] {
  const buttonActions = actions.filter((action) => action.type === 'button');
  const needsAnswer = actions.some((action) => action.type !== 'button');
  // Buttons beyond the block's limit are still answerable on the respond page.
  const room = needsAnswer || buttonActions.length > ACTIONS_MAX_ELEMENTS ? ACTIONS_MAX_ELEMENTS - 1 : ACTIONS_MAX_ELEMENTS;
  const buttons: LinkButton[] = buttonActions.slice(0, room).map((action, index) => ({
    type: 'button',
    text: { type: 'plain_text', text: cut(action.label, BUTTON_TEXT_MAX_CHARS), emoji: true },
    url: buttonUrl(action, respondUrl),
    // Keys are unique and at most 64 characters; the index keeps ids unique even if that ever changes.
    action_id: `action_${index}_${action.key}`.slice(0, 255),
    ...(action.style === 'primary' ? { style: 'primary' as const } : action.style === 'destructive' ? { style: 'danger' as const } : {}),
  }));
  if (room < buttonActions.length || needsAnswer) {
    buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Answer' }, url: respondUrl, action_id: 'answer' });
  }
  return buttons;
}

/** Slack's date token shows the time in each reader's own zone; the fallback is for clients that cannot. */
function expiryLine(expiresAt: string): string {
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return `Expires ${escapeMrkdwn(expiresAt, 100)}`;
  const utc = readableUtc(expiresAt);
  return `Expires <!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${utc}>`;
}

const MRKDWN_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Slack reads `&`, `<` and `>` as control characters in mrkdwn (links, mentions); an entity is never cut. */
export function escapeMrkdwn(text: string, max: number): string {
  return cutPieces([...text].map((char) => MRKDWN_ESCAPES[char] ?? char), max);
}

function cut(text: string, max: number): string {
  return cutPieces([...text], max);
}

/** At most `max` UTF-16 units (so within Slack's count of characters), ending in `…` when cut. */
function cutPieces(pieces: string[], max: number): string {
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}
