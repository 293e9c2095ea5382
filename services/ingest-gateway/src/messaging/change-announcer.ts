import { UnroutableError, type Broker } from '@pingback/broker';
import { publications, type WebhookSigner } from '@pingback/contracts';
import type { Logger } from '@pingback/observability';

export interface ChangeAnnouncer {
  /** Every gateway process drops its cached copy of the channel (this one at once, before announcing). */
  channelChanged(channelId: string): Promise<void>;
  /** Every webhook-deliverer process drops the signer's cached secrets. */
  signerChanged(signer: WebhookSigner): Promise<void>;
}

/** A failed announcement is tried again after these pauses, in the background. */
const RETRY_PAUSES_MS = [100, 250, 500, 1_000, 2_000, 4_000];

/**
 * Announces changes to the processes that cache what changed. Best effort, after the change is committed: the
 * change has happened and the caller gets its answer either way (failing the request would make a client
 * rotate again). A failed publish is retried in the background for a few seconds; a process that misses the
 * announcement anyway (its broker connection was down) empties its whole cache when it reconnects, and its
 * entries expire by their lifetime. Unroutable only means no process of that kind runs, so nothing is cached.
 */
export function createChangeAnnouncer(broker: Broker, logger: Logger, forgetLocally: (channelId: string) => void): ChangeAnnouncer {
  const retryLater = async (publish: () => Promise<unknown>, what: object): Promise<void> => {
    let lastError: unknown;
    for (const pauseMs of RETRY_PAUSES_MS) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      try {
        await publish();
        return;
      } catch (error) {
        if (error instanceof UnroutableError) return;
        lastError = error;
      }
    }
    logger.warn({ err: lastError, ...what }, 'could not announce a change; caches refresh it within their lifetime or on reconnect');
  };
  const announce = (publish: () => Promise<unknown>, what: object): Promise<void> =>
    publish().then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof UnroutableError)) void retryLater(publish, what);
      },
    );
  return {
    channelChanged(channelId) {
      forgetLocally(channelId);
      return announce(() => broker.publish(publications.channelChanged, { channelId }), { channelId });
    },
    signerChanged(signer) {
      return announce(() => broker.publish(publications.signerRotated, signer), { signer });
    },
  };
}
