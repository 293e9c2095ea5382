import { z } from 'zod';
import { EscalationPolicyInput } from './routing-policy';

// Request bodies of the gateway's own routes that had no contract of their own.

/** `POST /api/endpoints`: the URL seed 003's delivery events go to (the SSRF rules apply to it). */
export const CreateEventEndpointRequest = z.object({ url: z.string().min(1).max(2048) });

/** `PUT /api/channels/{id}/escalation`: the policy of the channel's sends that carry none. */
export const ChannelEscalationRequest = z.object({ escalation: EscalationPolicyInput });

/** What Telegram's Bot API POSTs for a button press (an Update); other updates are acknowledged and ignored. */
export const TelegramUpdate = z.object({
  callback_query: z
    .object({
      id: z.string().max(200),
      data: z.string().max(64).optional(),
    })
    .optional(),
});
