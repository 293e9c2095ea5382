import type { CarriedAction, LinkState, PublicMessage as LinkMessage } from '@pingback/contracts';
import { escapeHtml } from './escape-html';

const header = (m: LinkMessage) =>
  `<div class="priority-${escapeHtml(m.priority)}"><h1>${escapeHtml(m.title)}</h1>` +
  (m.body ? `<div class="body">${escapeHtml(m.body)}</div>` : '') +
  `</div>`;

function inputField(action: CarriedAction): string {
  const name = `responses.${action.key}`;
  const id = `f-${escapeHtml(action.key)}`;
  if (action.type === 'select') {
    const options = (action.options ?? []).map((o) => `<option value="${escapeHtml(o.value)}">${escapeHtml(o.label)}</option>`).join('');
    return `<label for="${id}">${escapeHtml(action.label)}</label><select id="${id}" name="${escapeHtml(name)}"><option value="">—</option>${options}</select>`;
  }
  return (
    `<label for="${id}">${escapeHtml(action.label)}</label>` +
    `<textarea id="${id}" name="${escapeHtml(name)}" rows="3" placeholder="${escapeHtml(action.placeholder ?? '')}"></textarea>`
  );
}

function answerSummary(m: LinkMessage): string {
  const answer = m.answer!;
  const button = m.actions.find((a) => a.key === answer.triggered_by);
  // In the order of the form, not of the stored object.
  const rows = m.actions
    .filter((action) => action.type !== 'button' && answer.responses[action.key] !== undefined)
    .map((action) => {
      const value = answer.responses[action.key]!;
      const shown = action.options?.find((o) => o.value === value)?.label ?? value;
      return `<li>${escapeHtml(action.label)}: ${escapeHtml(shown)}</li>`;
    });
  return (
    `<p class="notice">Answered: <strong>${escapeHtml(button?.label ?? answer.triggered_by)}</strong>` +
    ` <small>at ${escapeHtml(answer.answered_at.slice(0, 16).replace('T', ' '))} UTC</small></p>` +
    (rows.length ? `<ul>${rows.join('')}</ul>` : '')
  );
}

/** The page for a respond link: a plain form while open, the answer once answered, a notice when expired. */
export function respondPage(m: LinkMessage, state: LinkState): string {
  if (state === 'answered') return header(m) + answerSummary(m);
  if (state === 'expired') return header(m) + `<p class="notice">This request has expired and can no longer be answered.</p>`;
  const inputs = m.actions.filter((a) => a.type !== 'button').map(inputField).join('');
  const buttons = m.actions
    .filter((a) => a.type === 'button')
    .map((a) => `<button type="submit" name="triggered_by" value="${escapeHtml(a.key)}" class="${escapeHtml(a.style ?? 'default')}">${escapeHtml(a.label)}</button>`)
    .join('');
  const form = buttons
    ? `<form method="post">${inputs}<div class="buttons">${buttons}</div></form>`
    : `<p class="notice">This message asks for no answer.</p>`;
  return header(m) + form;
}
