import { envelopeFor, toSeedTimestamp, webhookDeliverPublications, type WebhookDeliver } from '@pingback/contracts';
import type { Keyring } from '@pingback/security';
import { approvalsOutbox } from '../data/durable-tables';
import type { ApprovalsTx } from '../data/prisma';
import { approvalDecidedMessage } from './approval-decided-message';
import { cancelClocks } from './approval-clock';
import type { ApprovalRow } from './approval-row';
import { askedReviewers } from './asked-reviewers';
import { tellDecided } from './reviewer-messages';

/**
 * What follows a final state, in the transaction that made it (the outbox), so a crash between the decision and
 * the publish loses neither: the clocks are cancelled, the `approval.decided` event goes to the callback_url
 * through webhook-deliverer and, for an approval another service asked for, to that service over the broker, and
 * each reviewer who was asked is told how it ended.
 */
export async function settle(tx: ApprovalsTx, deps: { keyring: Keyring; publicUrl: string; decidedNoteExpiresInMs: number }, row: ApprovalRow): Promise<void> {
  await cancelClocks(tx, row.id);
  const at = row.decidedAt ?? new Date();
  if (row.callbackUrl) await approvalsOutbox.append(tx, [decidedEvent(row, row.callbackUrl, at)]);
  const toAsker = approvalDecidedMessage(row, at);
  if (toAsker) await approvalsOutbox.append(tx, [toAsker]);
  for (const reviewer of await askedReviewers(tx, row)) await tellDecided(tx, deps, row, reviewer, at);
}

/**
 * The `approval.decided` event: signed with the account's signing secret (`GET /api/account/signing-secret`), on
 * the answer callbacks' schedule (CONTRACT §6). One per approval: its `webhook-id` is derived from the approval.
 */
function decidedEvent(row: ApprovalRow, url: string, at: Date) {
  const webhookId = `apd_${row.id}`;
  const payload: WebhookDeliver['payload'] = {
    webhookId,
    purpose: 'callback',
    url,
    body: {
      event: 'approval.decided',
      approval_id: row.id,
      status: row.status,
      result: row.result,
      notes: row.notes,
      decided_by: row.decidedBy,
      decided_at: toSeedTimestamp(at),
      context: row.context,
      metadata: row.metadata ?? null,
      timestamp: toSeedTimestamp(at),
    },
    signer: { kind: 'account', id: row.accountId },
    subject: { accountId: row.accountId, kind: 'approval', id: row.id, refs: {} },
    endpoint: null,
  };
  const publication = webhookDeliverPublications.callback;
  const envelope = envelopeFor(publication, payload, { id: webhookId, occurredAt: at });
  return { id: envelope.id, publication: publication.routingKey, envelope };
}
