import { z } from 'zod';
import { DestinationInput } from '../http/destinations';
import { EscalationPolicy } from '../http/routing-policy';
import { SignerSecrets } from './gateway';
import type { InternalRoute } from './route';

export const AttemptView = z.object({
  /** 0 for the first round of attempts, then one more per resend. */
  resend: z.number().int(),
  attempt: z.number().int(),
  outcome: z.string(),
  error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
  latency_ms: z.number().int().nullable(),
  at: z.string(),
});

export const DeliveryView = z.object({
  id: z.string(),
  type: z.string(),
  destination_id: z.string().nullable(),
  url: z.string().nullable(),
  recipient: z.string().nullable(),
  round: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  delivered_at: z.string().nullable(),
  respond_url: z.string(),
  attempt_log: z.array(AttemptView),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const MessageDeliveries = z.object({
  id: z.string(),
  account_id: z.string(),
  channel_id: z.string(),
  /** Deliveries beyond the first PINGBACK_MESSAGE_VIEW_DELIVERIES are counted, not listed. */
  delivery_count: z.number().int(),
  deliveries: z.array(DeliveryView),
});
export type MessageDeliveries = z.infer<typeof MessageDeliveries>;

/** A destination as its owner sees it: no secret in full (a routing key shows its last four characters). */
export const DestinationView = z.object({
  id: z.string(),
  type: z.string(),
  active: z.boolean(),
  created_at: z.string(),
}).catchall(z.unknown());
export type DestinationView = z.infer<typeof DestinationView>;

export const DestinationPage = z.object({ data: z.array(DestinationView), next_cursor: z.string().nullable() });
export type DestinationPage = z.infer<typeof DestinationPage>;

/** The first destinations of each of a page of channels, for the gateway's channel views. */
export const ChannelsDestinations = z.object({
  account_id: z.string(),
  channel_ids: z.array(z.string()).max(100),
  per_channel: z.number().int().min(1).max(100),
});
export const ChannelsDestinationsView = z.object({
  channels: z.record(z.string(), z.object({ destinations: z.array(DestinationView), count: z.number().int() })),
});
export type ChannelsDestinationsView = z.infer<typeof ChannelsDestinationsView>;

export const AddDestinations = z.object({
  account_id: z.string(),
  destinations: z.array(DestinationInput),
  /** The channel's limit (PINGBACK_MAX_DESTINATIONS_PER_CHANNEL): the whole batch is refused beyond it. */
  max: z.number().int().positive(),
});
export type AddDestinations = z.infer<typeof AddDestinations>;

export const EventEndpointView = z.object({
  id: z.string(),
  url: z.string(),
  /** When it was switched off (it answered 410 Gone, or too many attempts in a row failed); null while events go there. */
  disabled_at: z.string().nullable(),
  created_at: z.string(),
  signing_secret: z.string().optional(),
});
export type EventEndpointView = z.infer<typeof EventEndpointView>;

export const CreateEventEndpoint = z.object({ account_id: z.string(), url: z.string(), max: z.number().int().positive() });
export const AccountRef = z.object({ account_id: z.string() });
export const ChannelEscalation = z.object({ account_id: z.string(), escalation: EscalationPolicy });
export const ChannelEscalationView = z.object({ channel_id: z.string(), escalation: EscalationPolicy.nullable() });
export const Deleted = z.object({ deleted: z.number().int() });
export const ResendResult = z.object({ id: z.string(), status: z.string() });

/** notification-dispatcher's internal port: the destinations, deliveries and event endpoints it owns. */
export const DispatcherRoutes = {
  messageDeliveries: { method: 'GET', pattern: '/internal/messages/:id', response: MessageDeliveries },
  destinationsOfChannels: { method: 'POST', pattern: '/internal/destinations/of-channels', request: ChannelsDestinations, response: ChannelsDestinationsView },
  listDestinations: { method: 'GET', pattern: '/internal/channels/:channelId/destinations', response: DestinationPage },
  addDestinations: { method: 'POST', pattern: '/internal/channels/:channelId/destinations', request: AddDestinations, response: DestinationPage },
  getDestination: { method: 'GET', pattern: '/internal/channels/:channelId/destinations/:id', response: DestinationView },
  deleteDestination: { method: 'DELETE', pattern: '/internal/channels/:channelId/destinations/:id', response: Deleted },
  /** Later sends go there again (after it was switched off: a provider said gone, or webhook-deliverer disabled its URL). */
  enableDestination: { method: 'POST', pattern: '/internal/channels/:channelId/destinations/:id/enable', request: AccountRef, response: DestinationView },
  /** The channel is gone: its destinations and policy go with it. */
  forgetChannel: { method: 'DELETE', pattern: '/internal/channels/:channelId', response: Deleted },
  getEscalation: { method: 'GET', pattern: '/internal/channels/:channelId/escalation', response: ChannelEscalationView },
  putEscalation: { method: 'PUT', pattern: '/internal/channels/:channelId/escalation', request: ChannelEscalation, response: ChannelEscalationView },
  deleteEscalation: { method: 'DELETE', pattern: '/internal/channels/:channelId/escalation', response: Deleted },
  listEndpoints: { method: 'GET', pattern: '/internal/endpoints', response: z.object({ data: z.array(EventEndpointView) }) },
  createEndpoint: { method: 'POST', pattern: '/internal/endpoints', request: CreateEventEndpoint, response: EventEndpointView },
  getEndpoint: { method: 'GET', pattern: '/internal/endpoints/:id', response: EventEndpointView },
  deleteEndpoint: { method: 'DELETE', pattern: '/internal/endpoints/:id', response: Deleted },
  enableEndpoint: { method: 'POST', pattern: '/internal/endpoints/:id/enable', request: AccountRef, response: EventEndpointView },
  rotateEndpointSecret: { method: 'POST', pattern: '/internal/endpoints/:id/rotate-secret', request: AccountRef, response: EventEndpointView },
  resendDelivery: { method: 'POST', pattern: '/internal/deliveries/:id/resend', request: AccountRef, response: ResendResult },
  signerSecrets: { method: 'GET', pattern: '/internal/signers/:kind/:id', response: SignerSecrets },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
