import { ApprovalDecided, envelopeFor, publications } from '@pingback/contracts';
import type { ApprovalRow } from './approval-row';

/**
 * The outbox row that tells the service which asked for an approval (its `subject`) how it ended, or null for an
 * approval made through the API. Checked against the contract here, in the transaction that made the final
 * state: a row the broker refused would stop the outbox behind it. One per approval: its id is derived from it.
 */
export function approvalDecidedMessage(row: ApprovalRow, decidedAt: Date) {
  if (row.subject === null) return null;
  const payload = ApprovalDecided.shape.payload.parse({
    accountId: row.accountId,
    approvalId: row.id,
    status: row.status,
    result: row.result,
    decidedBy: row.decidedBy,
    decidedAt: decidedAt.toISOString(),
    subject: row.subject,
  });
  const publication = publications.approvalDecided;
  const envelope = envelopeFor(publication, payload, { id: `approval.decided:${row.id}`, occurredAt: decidedAt });
  return { id: envelope.id, publication: publication.routingKey, envelope };
}
