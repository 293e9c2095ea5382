import { envelopeFor, publications, toSeedTimestamp, type CarriedAction, type NotificationPayload } from '@pingback/contracts';
import { createMessageId, newId, type Keyring } from '@pingback/security';
import { approvalsOutbox } from '../data/durable-tables';
import type { ApprovalsTx } from '../data/prisma';
import type { ApprovalRow } from './approval-row';
import { decisionLink } from './decision-links';

/** Someone asked to decide one approval, as they were when it was made. */
export interface AskedReviewer {
  reviewerId: string;
  name: string;
  channelIds: string[];
}

export type ReviewerMessagePurpose = 'request' | 'reminder' | 'escalation' | 'decided';

interface MessageDeps {
  keyring: Keyring;
  publicUrl: string;
}

const TITLE_CONTEXT_CHARS = 120;

const headline = (context: string) => {
  const firstLine = context.split(/\r?\n/, 1)[0]!.trim();
  return firstLine.length > TITLE_CONTEXT_CHARS ? `${firstLine.slice(0, TITLE_CONTEXT_CHARS - 1)}…` : firstLine;
};

const TITLES: Record<Exclude<ReviewerMessagePurpose, 'decided'>, (context: string) => string> = {
  request: (context) => `Approval needed: ${headline(context)}`,
  reminder: (context) => `Reminder, approval needed: ${headline(context)}`,
  escalation: (context) => `Approval needed (no answer yet): ${headline(context)}`,
};

/**
 * Asks a reviewer to decide, on each of their channels, through the notification-dispatcher: Approve and Deny are
 * the reviewer's own signed links (a confirmation page with an optional note) wherever a button can be a link
 * (email, Slack, Discord, Telegram, push); the respond page (the inbox, a webhook destination's `respond_url`)
 * answers `approve` or `deny` with an optional `note`, which decides as well (message-answered consumer). Written
 * to the outbox in the caller's transaction.
 */
export async function askReviewer(tx: ApprovalsTx, deps: MessageDeps, approval: ApprovalRow, reviewer: AskedReviewer, purpose: Exclude<ReviewerMessagePurpose, 'decided'>, at: Date): Promise<void> {
  const actions: CarriedAction[] = [
    { type: 'button', key: 'approve', label: 'Approve', style: 'primary', url: decisionLink(deps, approval.id, reviewer.reviewerId, 'approve') },
    { type: 'button', key: 'deny', label: 'Deny', style: 'destructive', url: decisionLink(deps, approval.id, reviewer.reviewerId, 'deny') },
    // Where the message is answered on the respond page (the inbox), the note comes with the decision.
    { type: 'text', key: 'note', label: 'Note (optional)' },
  ];
  const body = `${approval.context}\n\nDecide by ${toSeedTimestamp(approval.expiresAt).replace('T', ' ').replace('Z', ' UTC')}; without an answer it is ${approval.timeoutAction === 'approve' ? 'approved' : 'denied'}.`;
  await tell(tx, deps, approval, reviewer, purpose, { title: TITLES[purpose](approval.context), body, actions, expiresAt: approval.expiresAt, at });
}

/** Tells a reviewer who was asked that the approval is final, and how: by whom, or by the time-out. */
export async function tellDecided(tx: ApprovalsTx, deps: MessageDeps & { decidedNoteExpiresInMs: number }, approval: ApprovalRow, reviewer: AskedReviewer, at: Date): Promise<void> {
  const outcome = approval.result === 1 ? 'Approved' : 'Denied';
  const by = approval.decidedVia === 'timeout' ? 'by time-out (no one answered in time)' : `by ${approval.decidedBy}`;
  const notes = approval.notes ? `\nNotes: ${approval.notes}` : '';
  await tell(tx, deps, approval, reviewer, 'decided', {
    title: `${outcome}: ${headline(approval.context)}`,
    body: `${outcome} ${by}.${notes}`,
    actions: [],
    expiresAt: new Date(at.getTime() + deps.decidedNoteExpiresInMs),
    at,
  });
}

async function tell(
  tx: ApprovalsTx,
  deps: MessageDeps,
  approval: ApprovalRow,
  reviewer: AskedReviewer,
  purpose: ReviewerMessagePurpose,
  content: { title: string; body: string; actions: CarriedAction[]; expiresAt: Date; at: Date },
): Promise<void> {
  if (reviewer.channelIds.length === 0) return;
  const payloads: NotificationPayload[] = reviewer.channelIds.map((channelId) => ({
    messageId: createMessageId(deps.keyring, channelId),
    accountId: approval.accountId,
    channelId,
    title: content.title,
    body: content.body,
    priority: purpose === 'decided' ? 'normal' : 'high',
    actions: content.actions,
    data: { approval: { id: approval.id, purpose, expires_at: toSeedTimestamp(approval.expiresAt) } },
    callbackUrl: null,
    eventsUrl: null,
    createdAt: content.at.toISOString(),
    expiresAt: content.expiresAt.toISOString(),
    deliveries: [{ id: newId('dlv_'), kind: 'web', destinationId: null, url: null }],
    fallback: [],
    escalation: null,
  }));
  await tx.approvalMessage.createMany({ data: payloads.map((p) => ({ messageId: p.messageId, approvalId: approval.id, reviewerId: reviewer.reviewerId, purpose })) });
  await approvalsOutbox.append(
    tx,
    payloads.map((payload) => {
      const envelope = envelopeFor(publications.notificationRequested, payload, { id: payload.messageId, occurredAt: content.at });
      return { id: envelope.id, publication: publications.notificationRequested.routingKey, envelope };
    }),
  );
}
