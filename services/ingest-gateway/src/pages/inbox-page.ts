import { readableUtc, type CarriedAction, type InboxItem } from '@pingback/contracts';
import { escapeHtml } from './escape-html';

/** "just now", "4 min ago", "3 h ago", "2 d ago": how long ago, as a person reads a feed. */
export function timeAgo(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const PRIORITY_LABEL: Record<InboxItem['priority'], string> = { low: 'Low', normal: '', high: 'High' };

function stateLine(item: InboxItem): string {
  if (item.state === 'waiting') return `<p class="state waiting">Waiting for you</p>`;
  if (item.state === 'expired') return `<p class="state expired">Expired without an answer</p>`;
  const chosen = item.actions.find((action) => action.key === item.answer?.triggered_by);
  return `<p class="state answered">Answered: <strong>${escapeHtml(chosen?.label ?? item.answer?.triggered_by ?? '')}</strong></p>`;
}

/** One tap answers a message of buttons alone; one that asks for inputs opens its respond page. */
function answerControls(item: InboxItem): string {
  if (item.state !== 'waiting' || !item.respond_token) return '';
  const link = `/r/${encodeURIComponent(item.respond_token)}`;
  const buttons = item.actions.filter((action: CarriedAction) => action.type === 'button');
  if (buttons.length === 0 || buttons.length !== item.actions.length) return `<p><a href="${link}">Answer…</a></p>`;
  const rendered = buttons
    .map((button) => `<button type="submit" name="triggered_by" value="${escapeHtml(button.key)}" class="${escapeHtml(button.style ?? 'default')}">${escapeHtml(button.label)}</button>`)
    .join('');
  return `<form method="post" action="${link}"><div class="buttons">${rendered}</div></form>`;
}

function entry(item: InboxItem, now: Date): string {
  const priority = PRIORITY_LABEL[item.priority];
  const body = item.body ? `<div class="body">${escapeHtml(item.body.length > 280 ? `${item.body.slice(0, 279)}…` : item.body)}</div>` : '';
  return (
    `<li class="item ${item.state} priority-${escapeHtml(item.priority)}">` +
    `<div class="meta">${priority ? `<span class="badge">${priority}</span> ` : ''}<time datetime="${escapeHtml(item.created_at)}" title="${escapeHtml(readableUtc(item.created_at))}">${timeAgo(item.created_at, now)}</time></div>` +
    `<div class="title">${escapeHtml(item.title)}</div>${body}${stateLine(item)}${answerControls(item)}</li>`
  );
}

/**
 * A channel's inbox, as a feed: newest first, each message with its priority, how long ago it came, its state
 * (waiting for you, answered and with which choice, expired), and its buttons where one tap answers; a page at a
 * time, "Older messages" for the next. `data-newest` lets the page's script notice new messages.
 */
export function inboxPage(page: { data: InboxItem[]; next_before: string | null }, now: Date, olderUrl: (before: string) => string): string {
  if (page.data.length === 0) return `<h1>Inbox</h1><p class="notice">No messages yet.</p>`;
  const older = page.next_before ? `<p><a href="${escapeHtml(olderUrl(page.next_before))}">Older messages</a></p>` : '';
  return `<h1>Inbox</h1><ul class="inbox" data-newest="${escapeHtml(page.data[0]!.id)}">${page.data.map((item) => entry(item, now)).join('')}</ul>${older}`;
}

/** Reloads the first page when a newer message is listed (a JSON read of the same URL every 10 s, while visible). */
export const INBOX_REFRESH_SCRIPT = `(function () {
  var list = document.querySelector('[data-newest]');
  var newest = list ? list.getAttribute('data-newest') : '';
  setInterval(function () {
    if (document.hidden) return;
    fetch(location.pathname, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) { if (b && b.data && b.data.length && b.data[0].id !== newest) location.reload(); })
      .catch(function () {});
  }, 10000);
})();`;
