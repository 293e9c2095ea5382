import { z } from 'zod';
import { DestinationInput } from './destinations';
import { plainText } from './text';

const name = () => plainText().trim().min(1).max(200);

export const CreateAccountRequest = z.object({ name: name() });
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;

export const CreateApiKeyRequest = z.object({ name: name().optional() });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;


/** A channel's destinations, whether given at creation or added one at a time. */
export const MAX_DESTINATIONS = 20;

export const CreateChannelRequest = z.object({
  name: name(),
  destinations: z.array(DestinationInput).max(MAX_DESTINATIONS).default([]),
});
export type CreateChannelRequest = z.infer<typeof CreateChannelRequest>;

/** Destinations added by one request at most: `{"destinations": [...]}` builds a large fan-out channel in a few calls. */
export const MAX_DESTINATIONS_PER_REQUEST = 1_000;

/** `POST /api/channels/{id}/destinations`: one destination, or `{"destinations": [...]}` (all or none). */
export const AddDestinationsRequest = z.union([
  z.object({ destinations: z.array(DestinationInput).min(1).max(MAX_DESTINATIONS_PER_REQUEST) }),
  DestinationInput,
]);
export type AddDestinationsRequest = z.infer<typeof AddDestinationsRequest>;

/** A destination as its owner sees it: its settings, secrets shown by their last four characters. */
export const Destination = z.object({ id: z.string(), type: z.string(), active: z.boolean(), created_at: z.string() }).catchall(z.unknown());
export type Destination = z.infer<typeof Destination>;

/** Channel views list the first destinations; `GET /api/channels/{id}/destinations` pages through all. */
export const CHANNEL_VIEW_DESTINATIONS = 20;

export const ChannelView = z.object({
  id: z.string(),
  name: z.string(),
  inbox_url: z.string(),
  destinations: z.array(Destination),
  destination_count: z.number().int(),
  created_at: z.string(),
});
export type ChannelView = z.infer<typeof ChannelView>;
