import { RetryableError, type Broker } from '@pingback/broker';
import { envelopeFor, publications, subscriptions } from '@pingback/contracts';
import type { OutboxEntry } from '@pingback/durable';
import { dispatcherOutbox } from '../data/durable-tables';
import type { DispatchDeps } from '../dispatch-deps';
import { dropEscalation } from '../domain/escalation';

/** Kinds whose adapters show the answer where the message was delivered. */
const SHOWS_ANSWER = ['telegram', 'pagerduty'];

/**
 * A message was answered (response-store's event): the dispatcher records the answer once, drops the steps of
 * its escalation still to come, and asks for the answer to be shown on every delivered Telegram message and
 * PagerDuty incident. All in one transaction, the show-answer commands through the outbox.
 */
export function consumeMessageAnswered(broker: Broker, deps: DispatchDeps): void {
  broker.consume(subscriptions.followAnswers, async (message) => {
    const answer = message.payload;
    const written = await deps.db.$transaction(async (tx) => {
      const { count } = await tx.message.updateMany({
        where: { id: answer.messageId, answeredAt: null },
        data: { answeredAt: new Date(answer.answeredAt), answer: { triggeredBy: answer.triggeredBy, responses: answer.responses, answeredAt: answer.answeredAt } as object },
      });
      if (count === 0) {
        if (!(await tx.message.findUnique({ where: { id: answer.messageId }, select: { id: true } }))) {
          throw new RetryableError('the answered message is not recorded here yet');
        }
        return 0;
      }
      await dropEscalation(tx, answer.messageId);
      const shown = await tx.delivery.findMany({
        where: { messageId: answer.messageId, kind: { in: SHOWS_ANSWER }, status: 'delivered' },
        select: { id: true, kind: true, providerRef: true },
      });
      const entries: OutboxEntry[] = shown.filter((delivery) => delivery.providerRef !== null).map((delivery) => {
        const envelope = envelopeFor(publications.notificationDeliver, { deliveryId: delivery.id, kind: delivery.kind, purpose: 'show_answer' }, { id: `${delivery.id}:show-answer`, traceId: message.traceId });
        return { id: envelope.id, publication: publications.notificationDeliver.routingKey, envelope };
      });
      await dispatcherOutbox.append(tx, entries);
      return entries.length;
    });
    if (written > 0) deps.kickOutbox();
  });
}
