import { webhookDeliverSubscriptions } from '@pingback/contracts';
import { Config as GatewayConfig } from '../../services/ingest-gateway/src/config';
import { Config as DispatcherConfig } from '../../services/notification-dispatcher/src/config';
import { Config as DelivererConfig } from '../../services/webhook-deliverer/src/config';

/** The broker's prefetch for a queue that names none (libs/broker/src/broker.ts keeps it private). */
const BROKER_DEFAULT_PREFETCH = 32;

/**
 * The production values of the settings a fan-out depends on, read from the services' own config schemas (what
 * a service uses when the variable is not set), so the bench reports and matches what a default install runs.
 */
export const FANOUT_DEFAULTS = {
  /** The gateway's cap on destinations per channel. */
  maxDestinationsPerChannel: GatewayConfig.shape.PINGBACK_MAX_DESTINATIONS_PER_CHANNEL.parse(undefined),
  /** Destinations per fan-out page: one transaction and one round of publishes each. */
  fanoutPageSize: DispatcherConfig.shape.PINGBACK_FANOUT_PAGE_SIZE.parse(undefined),
  /** Keep-alive connections webhook-deliverer opens per receiving origin at most. */
  socketsPerOrigin: DelivererConfig.shape.PINGBACK_WEBHOOK_SOCKETS_PER_ORIGIN.parse(undefined),
  /** Notification webhooks one deliverer process holds (and POSTs) at once. */
  notificationPrefetch: webhookDeliverSubscriptions.notification.prefetch ?? BROKER_DEFAULT_PREFETCH,
};

/** The batch limit of POST /api/channels/{id}/destinations (`{"destinations": [...]}`, all or none). */
export const DESTINATIONS_PER_REQUEST = 1_000;
