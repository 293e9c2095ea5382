import type { Broker } from '@pingback/broker';
import { subscriptions } from '@pingback/contracts';
import type { SigningSecretsCache } from '../clients/signing-secrets-cache';

/**
 * Keeps this process's cache of signing secrets true: an owner's `signer.rotated` reaches every process (a queue
 * per process), and after a reconnect, when some may have been missed, the whole cache starts over.
 */
export function consumeSignerRotated(broker: Broker, cache: SigningSecretsCache): void {
  broker.consume(subscriptions.forgetSigner, async (message) => {
    cache.forget(message.payload);
  });
  broker.onConnected(() => cache.clear());
}
