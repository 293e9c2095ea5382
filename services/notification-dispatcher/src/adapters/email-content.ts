import type { CarriedAction } from '@pingback/contracts';
import type { OutgoingNotification } from './adapter';
import { readableUtc } from '@pingback/contracts';
import { actionLinks, answerUrlOf } from './action-links';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface LinkButton {
  label: string;
  url: string;
  style: CarriedAction['style'];
}

const BUTTON_COLOURS: Record<NonNullable<CarriedAction['style']>, string> = {
  default: '#52525b',
  primary: '#2563eb',
  destructive: '#dc2626',
};

/** The mail for one delivery: every button a link to the respond page, which asks before it answers, or to its own link. */
export function renderEmail(notification: OutgoingNotification): EmailContent {
  const buttons: LinkButton[] = actionLinks(notification);
  const answerUrl = answerUrlOf(notification);
  const expiry = `This link expires on ${readableUtc(notification.expiresAt)}.`;
  return {
    subject: notification.title,
    text: plainText(notification, buttons, answerUrl, expiry),
    html: html(notification, buttons, answerUrl, expiry),
  };
}

function plainText(notification: OutgoingNotification, buttons: LinkButton[], answerUrl: string | undefined, expiry: string): string {
  const lines = [notification.title, ''];
  if (notification.body) lines.push(notification.body, '');
  for (const button of buttons) lines.push(`${button.label}: ${button.url}`);
  if (answerUrl) lines.push(`Answer: ${answerUrl}`);
  if (buttons.length > 0 || answerUrl) lines.push('');
  lines.push(expiry);
  return `${lines.join('\n')}\n`;
}

function html(notification: OutgoingNotification, buttons: LinkButton[], answerUrl: string | undefined, expiry: string): string {
  const body = notification.body
    ? `<p style="margin:0 0 20px;font-size:15px;line-height:1.5">${escapeHtml(notification.body).replace(/\r?\n/g, '<br>')}</p>`
    : '';
  const buttonRow = buttons.length > 0 ? `<p style="margin:0 0 12px">${buttons.map(linkButton).join(' ')}</p>` : '';
  const answer = answerUrl
    ? `<p style="margin:0 0 20px;font-size:15px"><a href="${escapeHtml(answerUrl)}" style="color:#2563eb">Answer</a></p>`
    : '';
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(notification.title)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f4f4f5;font-family:-apple-system,\'Segoe UI\',Roboto,Helvetica,Arial,sans-serif;color:#18181b">',
    '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px">',
    `<h1 style="margin:0 0 12px;font-size:20px">${escapeHtml(notification.title)}</h1>`,
    body,
    buttonRow,
    answer,
    `<p style="margin:0;font-size:12px;color:#71717a">${escapeHtml(expiry)}</p>`,
    '</div></body></html>',
  ].join('\n');
}

function linkButton(button: LinkButton): string {
  const colour = BUTTON_COLOURS[button.style ?? 'default'];
  const style = `display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:6px;background:${colour};color:#ffffff;font-weight:600;text-decoration:none`;
  return `<a href="${escapeHtml(button.url)}" style="${style}">${escapeHtml(button.label)}</a>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
