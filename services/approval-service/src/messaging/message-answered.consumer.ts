import type { Broker } from '@pingback/broker';
import { ApprovalDecision, MAX_APPROVAL_NOTES_CHARS, publications, subscriptions, type MessageAnswered } from '@pingback/contracts';
import type { ApprovalDeps } from '../approval-deps';
import { announceFinal } from '../domain/announce-final';
import { decideApproval } from '../domain/decide-approval';
import { openRequestedApproval } from './approval-requested';

/**
 * approval-service's queue: the approvals other services ask for (`approval.requested`), and every answered
 * message (response-store's event), which may decide an approval.
 */
export function consumeMessageAnswered(broker: Broker, deps: ApprovalDeps): void {
  broker.consume(subscriptions.decideApprovals, async (message) => {
    switch (message.type) {
      case publications.approvalRequested.type:
        return openRequestedApproval(deps, message);
      case publications.messageAnswered.type:
        return decideByAnswer(deps, message);
    }
  });
}

/**
 * When the answered message asked a reviewer and the answer is `approve` or `deny` (a Telegram button, the respond
 * page, a push action), it decides the approval as that reviewer, with a `note` response as the notes. A decision
 * that comes too late (already final) changes nothing.
 */
async function decideByAnswer(deps: ApprovalDeps, message: MessageAnswered): Promise<void> {
  const answer = message.payload;
  const decision = ApprovalDecision.safeParse(answer.triggeredBy);
  if (!decision.success) return;
  const asked = await deps.db.approvalMessage.findUnique({ where: { messageId: answer.messageId } });
  if (!asked || asked.purpose === 'decided') return;
  const reviewer = await deps.db.approvalReviewer.findUnique({ where: { approvalId_reviewerId: { approvalId: asked.approvalId, reviewerId: asked.reviewerId } } });
  if (!reviewer) return;
  const note = answer.responses.note;
  await deps.db.$transaction((tx) =>
    decideApproval(tx, deps, {
      approvalId: asked.approvalId,
      decision: decision.data,
      notes: typeof note === 'string' && note !== '' ? note.slice(0, MAX_APPROVAL_NOTES_CHARS) : null,
      decidedBy: reviewer.name,
      via: 'message',
    }),
  );
  announceFinal(deps, asked.approvalId);
}
