import { waitFor, type ReceivedMail, type SmtpFake } from '@pingback/testing';
import { createChannel, request } from '../support/api';
import type { Stack } from '../support/stack';

export interface ApprovalAccount {
  apiKey: string;
  channelId: string;
  reviewerId: string;
}

/**
 * An account whose default reviewer is `name`, reached by email at `mailbox` (a channel with one email
 * destination), made through the public API as a user would.
 */
export async function accountWithReviewer(stack: Stack, name: string, mailbox: string): Promise<ApprovalAccount> {
  const { apiKey, channelId } = await createChannel(stack, [{ type: 'email', address: mailbox }]);
  const reviewer = await request<{ id: string }>(`${stack.url}/api/reviewers`, {
    body: { name, channels: [channelId], default: true },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (reviewer.status !== 201) throw new Error(`create reviewer: ${reviewer.status} ${JSON.stringify(reviewer.body)}`);
  return { apiKey, channelId, reviewerId: reviewer.body.id };
}

/** POST /api/approvals with the key as `?key=`, as the seed's example does. */
export const createApproval = (stack: Stack, apiKey: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  request<{ approval_id: string; status: string; result: number | null; expires_at: string }>(`${stack.url}/api/approvals?key=${apiKey}`, { body, headers });

export const readApproval = (stack: Stack, apiKey: string, id: string, query = '') =>
  request<Record<string, unknown>>(`${stack.url}/api/approvals/${id}?key=${apiKey}${query}`);

/** The first mail to `mailbox` whose subject mentions `about`, waiting for it up to `timeoutMs`. */
export const mailAbout = (smtp: SmtpFake, mailbox: string, about: string, timeoutMs = 20_000): Promise<ReceivedMail> =>
  waitFor(() => smtp.mails.find((candidate) => candidate.to.includes(mailbox) && candidate.subject.includes(about)), { timeoutMs, description: `a mail to ${mailbox} about "${about}"` });

/** The link of a button in a mail's text part (`Approve: https://…`). */
export function buttonLink(mail: ReceivedMail, label: 'Approve' | 'Deny'): string {
  const line = mail.text.split('\n').find((candidate) => candidate.startsWith(`${label}: `));
  if (!line) throw new Error(`no ${label} link in:\n${mail.text}`);
  return line.slice(label.length + 2).trim();
}

/** Submits a decision link's confirmation form, as a browser does. */
export const submitDecisionForm = (link: string, notes = '') =>
  fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ notes }).toString() });
