import { escapeHtml } from '../escape-html';
import { csrfField } from './dashboard-layout';

/** Building blocks of the dashboard's pages. Every value passes escapeHtml; only these helpers write markup. */

/** Markup that is already safe (made by these helpers), as opposed to text that must be escaped. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export const raw = (markup: string) => new Html(markup);
const cell = (value: unknown) => (value instanceof Html ? value.markup : escapeHtml(value ?? '—'));

export function table(headings: string[], rows: unknown[][], empty = 'Nothing yet.'): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((value) => `<td>${cell(value)}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function details(entries: Array<[string, unknown]>): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${cell(value)}</dd>`).join('')}</dl>`;
}

export const link = (href: string, text: unknown) => raw(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`);

export function badge(text: unknown): Html {
  const value = String(text ?? '—');
  const tone = /^(delivered|healthy|approved|submitted|answered|succeeded|active|up|completed|success|running)$/.test(value)
    ? 'good'
    : /^(failed|denied|expired|bounced|disabled|down|terminated|timeout|missed|exhausted|error|dead|overdue)$/.test(value)
      ? 'bad'
      : 'wait';
  return raw(`<span class="badge ${tone}">${escapeHtml(value)}</span>`);
}

/** A timestamp as people read it, UTC, with the exact value on hover. */
export function when(iso: unknown): Html {
  if (typeof iso !== 'string' || !iso) return raw('—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return raw(escapeHtml(iso));
  return raw(`<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(date.toISOString().replace('T', ' ').slice(0, 19))} UTC</time>`);
}

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'url' | 'email' | 'number' | 'password' | 'select' | 'textarea';
  required?: boolean;
  value?: string;
  options?: Array<[string, string]>;
  placeholder?: string;
}

let fieldIds = 0;
function input(field: Field): string {
  // Unique on the page: a page may hold several forms with the same fields (one per approval).
  const id = `f-${escapeHtml(field.name)}-${++fieldIds}`;
  const common = `id="${id}" name="${escapeHtml(field.name)}"${field.required ? ' required' : ''}`;
  const label = `<label for="${id}">${escapeHtml(field.label)}</label>`;
  if (field.type === 'select') {
    const options = (field.options ?? []).map(([value, text]) => `<option value="${escapeHtml(value)}"${value === field.value ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('');
    return `${label}<select ${common}>${options}</select>`;
  }
  if (field.type === 'textarea') return `${label}<textarea ${common} rows="3">${escapeHtml(field.value ?? '')}</textarea>`;
  const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
  const step = field.type === 'number' ? ' step="any"' : '';
  return `${label}<input ${common} type="${field.type ?? 'text'}" value="${escapeHtml(field.value ?? '')}"${placeholder}${step}>`;
}

/** A form that posts to a dashboard route with the session's CSRF token. */
export function formCard(action: string, csrf: string, fields: Field[], submit: string, tone: 'primary' | 'destructive' = 'primary'): string {
  return `<form class="card" method="post" action="${escapeHtml(action)}">${csrfField(csrf)}${fields.map(input).join('')}<button class="${tone}" type="submit">${escapeHtml(submit)}</button></form>`;
}

/** One button that posts (rotate, re-send, enable, decide…), with hidden values when the action needs them. */
export function postButton(action: string, csrf: string, label: string, options: { tone?: 'primary' | 'destructive'; values?: Record<string, string> } = {}): Html {
  const hidden = Object.entries(options.values ?? {}).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
  return raw(`<form class="inline" method="post" action="${escapeHtml(action)}">${csrfField(csrf)}${hidden}<button type="submit"${options.tone ? ` class="${options.tone}"` : ''}>${escapeHtml(label)}</button></form>`);
}

let secretIds = 0;
/** A value shown once (a token, a secret URL), with a button that copies it. */
export function shownOnce(label: string, value: string): string {
  const id = `secret-${++secretIds}`;
  return `<p><strong>${escapeHtml(label)}</strong> <span class="muted">(shown once: copy it now)</span><br><span class="secret" id="${id}">${escapeHtml(value)}</span> <button type="button" data-copy="${id}">Copy</button></p>`;
}

export const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
export const usd = (value: unknown) => (typeof value === 'number' ? `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 4)}` : '—');
