import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { ChannelCache } from '../cache/channel-cache';

/** This process's copy of a changed channel goes at once; after a reconnect every copy goes (changes were missed). */
export function consumeChannelChanged(broker: Broker, cache: ChannelCache): void {
  broker.consume(subscriptions.forgetChannel, async (message) => {
    cache.forget(message.payload.channelId);
  });
  broker.onConnected(() => cache.clear());
}
