import type { Response } from 'express';
import { escapeHtml } from '../escape-html';
import { sendPage } from '../layout';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, sans-serif; }
  * { box-sizing: border-box; }
  body { margin: 0 auto; padding: 0 1rem 2rem; max-width: 64rem; line-height: 1.4; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; padding: 0.75rem 0; border-bottom: 1px solid rgba(127,127,127,0.3); }
  header .brand { font-weight: 700; margin-right: auto; }
  nav { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
  nav a { text-decoration: none; } nav a.here { font-weight: 700; text-decoration: underline; }
  h1 { font-size: 1.35rem; margin: 1rem 0 0.5rem; overflow-wrap: anywhere; } h3 { overflow-wrap: anywhere; } h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
  .scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
  th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid rgba(127,127,127,0.25); vertical-align: top; }
  td { overflow-wrap: break-word; } time, td button { white-space: nowrap; }
  dl { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: 0.25rem 1rem; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  form.inline { display: inline; }
  form.card { display: grid; gap: 0.5rem; max-width: 32rem; padding: 0.75rem; border: 1px solid rgba(127,127,127,0.3); border-radius: 0.5rem; margin: 0.5rem 0; }
  label { font-weight: 600; font-size: 0.9rem; }
  input, select, textarea, button { font: inherit; font-size: 1rem; }
  input, select, textarea { width: 100%; padding: 0.45rem; }
  button { padding: 0.45rem 0.9rem; border-radius: 0.4rem; border: 1px solid #888; cursor: pointer; }
  button.primary { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  button.destructive { background: #c62828; color: #fff; border-color: #c62828; }
  .notice { padding: 0.75rem; border-radius: 0.5rem; background: rgba(127,127,127,0.15); margin: 0.75rem 0; }
  .notice.error { background: rgba(211,51,51,0.15); }
  .secret { font-family: ui-monospace, monospace; overflow-wrap: anywhere; background: rgba(127,127,127,0.15); padding: 0.1rem 0.3rem; border-radius: 0.25rem; }
  .badge { display: inline-block; white-space: nowrap; font-size: 0.8rem; padding: 0 0.4rem; border-radius: 0.6rem; background: rgba(127,127,127,0.2); }
  .badge.good { background: rgba(46,125,50,0.25); } .badge.bad { background: rgba(211,51,51,0.25); } .badge.wait { background: rgba(26,115,232,0.2); }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85rem; background: rgba(127,127,127,0.1); padding: 0.5rem; border-radius: 0.4rem; }
  figure { margin: 0.5rem 0; } .chart { max-width: 28rem; }
  .chart text { font-size: 12px; fill: currentColor; } .chart rect { fill: #1a73e8; }
  .muted { opacity: 0.7; font-size: 0.9rem; }
`;

const SECTIONS: ReadonlyArray<[string, string]> = [
  ['/app', 'Overview'],
  ['/app/channels', 'Channels'],
  ['/app/messages', 'Messages'],
  ['/app/deliveries', 'Delivery log'],
  ['/app/endpoints', 'Event endpoints'],
  ['/app/rooms', 'Rooms'],
  ['/app/workflows', 'Workflows'],
  ['/app/monitors', 'Heartbeats & hooks'],
  ['/app/approvals', 'Approvals'],
];

/** Copies the text of the element a `data-copy` button names; the one script a page with a secret on it runs. */
export const COPY_SCRIPT = `document.querySelectorAll('button[data-copy]').forEach(function (b) {
  b.addEventListener('click', function () {
    var t = document.getElementById(b.getAttribute('data-copy'));
    if (t && navigator.clipboard) navigator.clipboard.writeText(t.textContent).then(function () { b.textContent = 'Copied'; });
  });
});`;

export interface DashboardPage {
  title: string;
  /** The section the page belongs to, highlighted in the navigation. */
  section: string;
  content: string;
  csrf: string;
  status?: number;
  /** Set when the page shows a secret to copy. */
  copy?: boolean;
}

/** A signed-in page: navigation, the sign-out form (with its CSRF token), the content. */
export function sendDashboardPage(res: Response, page: DashboardPage): void {
  const nav = SECTIONS.map(([href, label]) => `<a href="${href}"${href === page.section ? ' class="here" aria-current="page"' : ''}>${escapeHtml(label)}</a>`).join('');
  const header =
    `<header><span class="brand">Pingback</span><nav>${nav}</nav>` +
    `<form class="inline" method="post" action="/app/sign-out">${csrfField(page.csrf)}<button type="submit">Sign out</button></form></header>`;
  sendPage(res, page.status ?? 200, `${page.title} · Pingback`, `${header}<main><h1>${escapeHtml(page.title)}</h1>${page.content}</main>`, {
    style: STYLE,
    ...(page.copy ? { script: COPY_SCRIPT } : {}),
  });
}

/** A page for someone not signed in (the sign-in page, a refusal). */
export function sendPublicDashboardPage(res: Response, status: number, title: string, content: string): void {
  sendPage(res, status, `${title} · Pingback`, `<header><span class="brand">Pingback</span></header><main><h1>${escapeHtml(title)}</h1>${content}</main>`, { style: STYLE });
}

export function dashboardErrorPage(res: Response, status: number, title: string, message: string): void {
  sendPublicDashboardPage(res, status, title, `<p class="notice error">${escapeHtml(message)}</p><p><a href="/app">Back to the dashboard</a></p>`);
}

export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;
