import { approvalLinkSubject, type ApprovalDecision } from '@pingback/contracts';
import { signId, type Keyring } from '@pingback/security';

/**
 * A reviewer's link for one decision on one approval: `{public}/a/{token}`, signed with the `approval-link` key, so
 * an altered link is refused and none can be made up. It opens a confirmation page (a GET never decides: mail
 * systems open links); it works until the approval is final, then shows the final state.
 */
export function decisionLink(deps: { keyring: Keyring; publicUrl: string }, approvalId: string, reviewerId: string, decision: ApprovalDecision): string {
  const token = signId(deps.keyring, 'approval-link', approvalLinkSubject(approvalId, reviewerId, decision));
  return new URL(`/a/${encodeURIComponent(token)}`, deps.publicUrl).toString();
}
