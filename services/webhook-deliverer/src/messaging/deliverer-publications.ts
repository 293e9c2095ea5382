import { publications, webhookOutcomePublications, type Publication } from '@pingback/contracts';
import type { DelivererEvent } from '../domain/webhook-events';

/** Where each event the deliverer publishes goes, by its type. */
export const delivererPublications: Record<DelivererEvent['type'], Publication> = {
  ...webhookOutcomePublications,
  [publications.endpointDisabled.type]: publications.endpointDisabled,
};
