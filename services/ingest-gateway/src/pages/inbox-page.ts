import { escapeHtml } from './escape-html';

export interface InboxItem {
  title: string;
  body: string | null;
  created_at: string;
  respond_token: string | null;
}

/** A channel's inbox: its open messages, each linking to its respond page. */
export function inboxPage(items: InboxItem[]): string {
  if (items.length === 0) return `<h1>Inbox</h1><p class="notice">Nothing waiting for an answer.</p>`;
  const rows = items.map((item) => {
    const title = escapeHtml(item.title);
    const link = item.respond_token ? `<a href="/r/${encodeURIComponent(item.respond_token)}">${title}</a>` : title;
    return `<li>${link}<br><small>${escapeHtml(item.created_at)}</small></li>`;
  });
  return `<h1>Inbox</h1><ul>${rows.join('')}</ul>`;
}
