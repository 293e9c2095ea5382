import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { DispatchDeps } from '../dispatch-deps';
import { attemptProviderDelivery, showAnswer } from '../domain/attempt-provider-delivery';

/** Provider deliveries, one attempt per message; and, once a message is answered, showing the answer there. */
export function consumeProviderDeliveries(broker: Broker, deps: DispatchDeps): void {
  broker.consume(subscriptions.deliverToProvider, async (message, ctx) => {
    if (message.payload.purpose === 'show_answer') {
      await showAnswer(deps, message.payload.deliveryId);
      return;
    }
    const verdict = await attemptProviderDelivery(deps, message.payload.deliveryId, ctx);
    if (verdict) ctx.retryAfterMs(verdict.retryAfterMs);
  });
}
