import type { ApprovalDeps } from '../approval-deps';

/**
 * After a transaction that may have made an approval final has committed: its outbox rows go now, and the polls
 * waiting on it read again (a wake-up for an approval still pending costs them one read).
 */
export function announceFinal(deps: Pick<ApprovalDeps, 'kickOutbox' | 'waiters'>, approvalId: string): void {
  deps.kickOutbox();
  deps.waiters.announce(approvalId);
}
