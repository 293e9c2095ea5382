import { MAX_APPROVAL_NOTES_CHARS, readableUtc, type ApprovalDecision, type ApprovalLinkView } from '@pingback/contracts';
import { escapeHtml } from './escape-html';

export interface ApprovalPage {
  title: string;
  content: string;
}

const DECISION_LABEL: Record<ApprovalDecision, string> = { approve: 'Approve', deny: 'Deny' };
const STATUS_LABEL: Record<ApprovalLinkView['status'], string> = { pending: 'Pending', approved: 'Approved', denied: 'Denied', expired: 'Expired' };


const notice = (text: string) => `<p class="notice">${escapeHtml(text)}</p>`;
// `.body` keeps the context's line breaks (white-space: pre-wrap) while its markup stays text.
const context = (view: ApprovalLinkView) => `<div class="body">${escapeHtml(view.context)}</div>`;

function confirmation(view: ApprovalLinkView, decision: ApprovalDecision): ApprovalPage {
  const label = DECISION_LABEL[decision];
  const title = `${label} this request?`;
  const content =
    `<h1>${escapeHtml(title)}</h1>` +
    context(view) +
    `<p>Reviewer: <strong>${escapeHtml(view.reviewerName)}</strong><br>Expires at ${escapeHtml(readableUtc(view.expiresAt))}</p>` +
    `<form method="post">` +
    `<label for="notes">Note (optional)</label>` +
    `<textarea id="notes" name="notes" rows="3" maxlength="${MAX_APPROVAL_NOTES_CHARS}"></textarea>` +
    `<div class="buttons"><button type="submit" class="${decision === 'approve' ? 'primary' : 'destructive'}">${label}</button></div>` +
    `</form>`;
  return { title, content };
}

/** Result, who decided, when and the notes, as far as the final state has them. */
function finalState(view: ApprovalLinkView): string {
  const rows: string[] = [];
  if (view.status === 'expired') rows.push('Nobody decided before the deadline, so the default applied.');
  if (view.result !== null) rows.push(`Result: ${view.result === 1 ? 'approved' : 'denied'} (${view.result})`);
  if (view.decidedBy !== null) rows.push(`Decided by: ${view.decidedBy}`);
  if (view.decidedAt !== null) rows.push(`Decided at: ${readableUtc(view.decidedAt)}`);
  const items = rows.map((row) => `<li>${escapeHtml(row)}</li>`);
  if (view.notes) items.push(`<li>Notes:<div class="body">${escapeHtml(view.notes)}</div></li>`);
  return `<ul>${items.join('')}</ul>`;
}

/**
 * What an approval link shows: while the approval is pending, a confirmation with a form that posts the link's one
 * decision (the GET itself decides nothing); once it is approved, denied or expired, that final state.
 * `notice` goes above it (why a decision was not recorded).
 */
export function approvalLinkPage(view: ApprovalLinkView, decision: ApprovalDecision, options: { notice?: string } = {}): ApprovalPage {
  const label = STATUS_LABEL[view.status];
  const page = view.status === 'pending' ? confirmation(view, decision) : { title: label, content: `<h1>${label}</h1>` + context(view) + finalState(view) };
  return options.notice ? { title: page.title, content: notice(options.notice) + page.content } : page;
}

/** The answer to a reviewer whose decision was recorded: "Approved — thank you" with the final state. */
export function approvalThanksPage(view: ApprovalLinkView, decision: ApprovalDecision): ApprovalPage {
  if (view.status !== 'approved' && view.status !== 'denied') return approvalLinkPage(view, decision);
  const title = `${STATUS_LABEL[view.status]} — thank you`;
  return { title, content: `<h1>${escapeHtml(title)}</h1>` + context(view) + finalState(view) };
}
