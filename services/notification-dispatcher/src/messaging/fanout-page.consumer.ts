import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import { dispatcherOutbox } from '../data/durable-tables';
import type { DispatchDeps } from '../dispatch-deps';
import { eventTargets } from '../domain/delivery-events';
import { scheduleNextStep } from '../domain/escalation';
import { publishDeliveries, publishNextPage, writePage } from '../domain/fanout-page';
import { escalationStepOf, PRIMARY } from '../domain/fanout-rounds';
import { contentOfRow } from '../domain/notification-content';
import { startNextFallback } from '../domain/settle-delivery';

/**
 * One page of a fan-out round, taken by whichever dispatcher copy is free: its deliveries are written in one
 * transaction and handed out, and the next page is asked for; once an escalation round's last page is handed out,
 * its next step starts counting. A fallback or escalation round of a message that was answered meanwhile delivers
 * nothing.
 */
export function consumeFanoutPages(broker: Broker, deps: DispatchDeps): void {
  broker.consume(subscriptions.fanoutNotification, async (message) => {
    const { messageId, round, after } = message.payload;
    const row = await deps.db.message.findUnique({ where: { id: messageId } });
    if (!row || (row.answeredAt && round !== PRIMARY)) return;
    const content = contentOfRow(row);
    const page = await deps.db.$transaction(async (tx) => {
      const written = await writePage(tx, deps, content, round, after, () => eventTargets(tx, content));
      // A fallback entry that names nothing the channel has (any more) is passed over for the next one.
      const passedOver = round.startsWith('fallback:') && after === null && written.deliveries.length === 0 ? await startNextFallback(tx, content, message.traceId) : [];
      await dispatcherOutbox.append(tx, [...written.outbox, ...passedOver]);
      return { ...written, outbox: [...written.outbox, ...passedOver] };
    });
    if (page.outbox.length > 0) deps.kickOutbox();
    await Promise.all([
      publishDeliveries(broker, deps, content, page.deliveries, message.traceId),
      ...(page.nextAfter ? [publishNextPage(broker, messageId, round, page.nextAfter, message.traceId)] : []),
    ]);
    if (!page.nextAfter && escalationStepOf(round) !== null) await deps.db.$transaction((tx) => scheduleNextStep(tx, content, round));
  });
}
