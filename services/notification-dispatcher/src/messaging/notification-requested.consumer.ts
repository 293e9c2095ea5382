import type { Broker } from '@pingback/broker';
import { subscriptions, type EscalationPolicy, type NotificationRequested } from '@pingback/contracts';
import { dispatcherOutbox } from '../data/durable-tables';
import type { DispatchDeps } from '../dispatch-deps';
import { eventTargets } from '../domain/delivery-events';
import { scheduleFirstStep } from '../domain/escalation';
import { publishDeliveries, publishNextPage, writePage, type WrittenPage } from '../domain/fanout-page';
import { PRIMARY } from '../domain/fanout-rounds';
import { contentOfPayload, messageRow, type NotificationContent } from '../domain/notification-content';

/**
 * Turns accepted sends into deliveries. The messages that arrived together are recorded in one transaction with
 * their web inbox delivery, their first escalation step, and the first page of each one's destinations (so a
 * channel with a few destinations costs no extra hop); a channel with more asks for its next pages as commands
 * any dispatcher copy takes. The deliveries are handed out once the transaction committed.
 */
export function consumeNotificationRequested(broker: Broker, deps: DispatchDeps): void {
  broker.consumeBatch(subscriptions.dispatchNotification, async (messages) => {
    const now = new Date();
    const written = await deps.db.$transaction(async (tx) => {
      const channelIds = [...new Set(messages.map((message) => message.payload.channelId))];
      const policies = new Map(
        (await tx.channelPolicy.findMany({ where: { channelId: { in: channelIds } } })).map((policy) => [policy.channelId, policy.escalation as EscalationPolicy]),
      );
      const contents = messages.map((message) => contentOfPayload(message.payload, policies.get(message.payload.channelId) ?? null));
      const created = await tx.message.createManyAndReturn({ data: contents.map(messageRow), skipDuplicates: true, select: { id: true } });
      await tx.delivery.createMany({ data: webDeliveries(messages, now), skipDuplicates: true });
      const createdIds = new Set(created.map((row) => row.id));
      for (const content of contents) if (createdIds.has(content.messageId)) await scheduleFirstStep(tx, content);

      const withDestinations = new Set(
        (await tx.destination.findMany({ where: { channelId: { in: channelIds }, active: true }, distinct: ['channelId'], select: { channelId: true } })).map((d) => d.channelId),
      );
      const pages: { content: NotificationContent; traceId: string; page: WrittenPage }[] = [];
      for (const [index, content] of contents.entries()) {
        if (!withDestinations.has(content.channelId)) continue;
        const page = await writePage(tx, deps, content, PRIMARY, null, () => eventTargets(tx, content));
        await dispatcherOutbox.append(tx, page.outbox);
        pages.push({ content, traceId: messages[index]!.traceId, page });
      }
      return pages;
    });
    await Promise.all(
      written.flatMap(({ content, traceId, page }) => [
        publishDeliveries(broker, deps, content, page.deliveries, traceId),
        ...(page.nextAfter ? [publishNextPage(broker, content.messageId, PRIMARY, page.nextAfter, traceId)] : []),
      ]),
    );
  });
}

/** Every message has its channel's web inbox, delivered on arrival (the gateway chose its id). */
function webDeliveries(messages: NotificationRequested[], now: Date) {
  return messages.flatMap(({ payload }) =>
    payload.deliveries
      .filter((delivery) => delivery.kind === 'web')
      .map((delivery) => ({ id: delivery.id, messageId: payload.messageId, kind: 'web', recipient: 'web inbox', status: 'delivered', deliveredAt: now })),
  );
}
