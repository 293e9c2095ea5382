import { UnroutableError, type Broker } from '@pingback/broker';
import { publications, type WebhookSigner } from '@pingback/contracts';
import type { Logger } from '@pingback/observability';

/**
 * Tells every webhook-deliverer process that a signer's secrets changed (rotated) or are gone (deleted), so they
 * drop what they cached. Best effort, after the change is committed: the change has happened and the caller
 * gets its new secret either way (failing the request would make a client rotate again). A deliverer that misses
 * it still asks again within PINGBACK_SIGNER_CACHE_TTL_MS, and after any reconnect of its own. Unroutable only
 * means no deliverer runs, so nothing is cached.
 */
export function signerChangedPublisher(broker: Broker, logger: Logger): (signer: WebhookSigner) => Promise<void> {
  return async (signer) => {
    try {
      await broker.publish(publications.signerRotated, signer);
    } catch (error) {
      if (error instanceof UnroutableError) return;
      logger.warn({ err: error, signer }, 'could not announce a signer change; deliverers refresh it within their cache lifetime');
    }
  };
}
