import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from './escape-html';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, sans-serif; }
  body { margin: 0; padding: 1rem; max-width: 32rem; margin-inline: auto; line-height: 1.4; }
  h1 { font-size: 1.3rem; margin: 0.5rem 0; }
  .body { white-space: pre-wrap; margin-bottom: 1rem; }
  .priority-high { border-left: 4px solid #d33; padding-left: 0.5rem; }
  label { display: block; font-weight: 600; margin-top: 0.75rem; }
  button, select, textarea { font: inherit; }
  select, textarea { width: 100%; font-size: 1rem; padding: 0.5rem; box-sizing: border-box; }
  .buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 1rem; }
  button { font-size: 1rem; padding: 0.75rem 1rem; border-radius: 0.5rem; border: 1px solid #888; flex: 1 1 auto; }
  button.primary { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  button.destructive { background: #d33; color: #fff; border-color: #d33; }
  .notice { padding: 0.75rem; border-radius: 0.5rem; background: rgba(127,127,127,0.15); }
  ul { padding-left: 1.2rem; } li { margin: 0.5rem 0; }
  ul.inbox { list-style: none; padding: 0; }
  .inbox .item { border-bottom: 1px solid rgba(127,127,127,0.3); padding: 0.75rem 0; }
  .inbox .item.priority-high { border-left: 4px solid #d33; padding-left: 0.5rem; }
  .inbox .meta { font-size: 0.85rem; opacity: 0.75; }
  .inbox .badge { font-weight: 700; color: #d33; }
  .inbox .title { font-weight: 600; font-size: 1.05rem; margin: 0.15rem 0; }
  .inbox .body { white-space: pre-wrap; margin: 0.25rem 0; }
  .inbox .state { margin: 0.25rem 0; font-size: 0.9rem; }
  .inbox .state.waiting { color: #1a73e8; font-weight: 600; }
  .inbox .item.expired { opacity: 0.6; }
  .inbox .buttons { margin-top: 0.5rem; }
`;

/**
 * Sends a small standalone page: mobile viewport, and a Content-Security-Policy that allows only this page's own
 * inline style (by nonce) and form posts back to this origin. A page works without scripts; one that offers
 * more (the inbox's "notify me" button) passes `script`, which the policy allows by the same nonce, with
 * fetches and a service worker from this origin only. The dashboard passes its own `style`.
 */
export function sendPage(res: Response, status: number, title: string, content: string, options: { script?: string; style?: string } = {}): void {
  const nonce = randomBytes(16).toString('base64');
  const scripting = options.script ? `; script-src 'nonce-${nonce}'; connect-src 'self'; worker-src 'self'` : '';
  const script = options.script ? `<script nonce="${nonce}">${options.script}</script>` : '';
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'${scripting}`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<meta name="robots" content="noindex">` +
        `<title>${escapeHtml(title)}</title><style nonce="${nonce}">${options.style ?? STYLE}</style></head>` +
        `<body>${content}${script}</body></html>`,
    );
}
