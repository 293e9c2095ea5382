import { CreateApprovalRequest } from '@pingback/contracts';
import { NonRetryableError } from '@pingback/broker';
import type { ApprovalRequested } from '@pingback/contracts';
import type { ApprovalDeps } from '../approval-deps';
import { createApproval } from '../domain/create-approval';

/**
 * Another service asked for an approval (workflow-tracker, when a budget's `approve` action paused an instance): it
 * is made as POST /api/approvals makes one for the account's default reviewers (none is fine: it is still decidable
 * by API, and it times out), with the message's `key` as its Idempotency-Key, so a redelivery or a repeated request
 * finds the approval the first one made. Its `subject` is kept for the `approval.decided` that answers it.
 */
export async function openRequestedApproval(deps: ApprovalDeps, message: ApprovalRequested): Promise<void> {
  const { accountId, key, context, timeoutSeconds, timeoutAction, metadata, subject } = message.payload;
  const request = CreateApprovalRequest.safeParse({ context, timeout_seconds: timeoutSeconds, timeout_action: timeoutAction, ...(metadata ? { metadata } : {}) });
  // The API would answer 400: asking again cannot help.
  if (!request.success) throw new NonRetryableError(`approval.requested ${message.id} is not an approval the API would accept: ${describeIssues(request.error.issues)}`);
  await createApproval(deps, accountId, request.data, key, subject);
}

const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
