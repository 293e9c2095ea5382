import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { TrackerDb } from '../data/prisma';
import { acknowledgeByMessage } from '../domain/alerts';
import { settleBudgetApproval } from '../domain/costs/budget-approval';

export type AcknowledgedHook = (tx: Parameters<Parameters<TrackerDb['$transaction']>[0]>[0], alert: { id: string; subjectKind: string; subjectId: string }) => Promise<void>;

/**
 * The tracker's queue: every answered message (response-store's event), which acknowledges the alert it was one of
 * (`onAcknowledged` runs in the same transaction: a monitor's repeats stop, a cost alert is resolved); and every
 * decided approval a budget asked for, which resumes or terminates its run. Other messages are none of its business.
 */
export function consumeMessageAnswered(broker: Broker, deps: { db: TrackerDb; now: () => Date; onAcknowledged: AcknowledgedHook }): void {
  broker.consume(subscriptions.acknowledgeAlerts, async (message) => {
    if (message.type === 'approval.decided') {
      if (message.payload.subject.service === 'workflow-tracker') await settleBudgetApproval(deps, message.payload);
      return;
    }
    const answer = message.payload;
    await deps.db.$transaction(async (tx) => {
      const alert = await acknowledgeByMessage(tx, answer.messageId, answer.triggeredBy, new Date(answer.answeredAt));
      if (alert) await deps.onAcknowledged(tx, alert);
    });
  });
}
