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

export const Destination = z.object({ id: z.string(), type: z.enum(['webhook']), url: z.string() });
export type Destination = z.infer<typeof Destination>;

export const ChannelView = z.object({
  id: z.string(),
  name: z.string(),
  inbox_url: z.string(),
  destinations: z.array(Destination),
  created_at: z.string(),
});
export type ChannelView = z.infer<typeof ChannelView>;
