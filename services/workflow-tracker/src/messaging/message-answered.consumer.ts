import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { TrackerDb } from '../data/prisma';
import { acknowledgeByMessage } from '../domain/alerts';

export type AcknowledgedHook = (tx: Parameters<Parameters<TrackerDb['$transaction']>[0]>[0], alert: { id: string; subjectKind: string; subjectId: string }) => Promise<void>;

/**
 * Every answered message (response-store's event): when it was one of an alert's messages, the alert is
 * acknowledged and `onAcknowledged` (a monitor's repeats stop) runs in the same transaction. Other messages are
 * none of the tracker's business.
 */
export function consumeMessageAnswered(broker: Broker, deps: { db: TrackerDb; onAcknowledged: AcknowledgedHook }): void {
  broker.consume(subscriptions.acknowledgeAlerts, async (message) => {
    const answer = message.payload;
    await deps.db.$transaction(async (tx) => {
      const alert = await acknowledgeByMessage(tx, answer.messageId, answer.triggeredBy, new Date(answer.answeredAt));
      if (alert) await deps.onAcknowledged(tx, alert);
    });
  });
}
