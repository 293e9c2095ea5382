import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../limits';
import { makeActionSchemas } from './actions';
import { checkedJsonObject } from './json-object';
import { EscalationPolicyInput, FallbackList } from './routing-policy';
import { plainText } from './text';

/** POST /v1/send/{token} (seed 000/001, CONTRACT §4). Unknown fields are ignored. */
export function makeSendRequest(limits: Limits = DEFAULT_LIMITS) {
  const { Actions } = makeActionSchemas(limits);
  // Only the shape here: the scheme and address are the SSRF checks' to refuse, as 422 unsafe_url with a
  // reason (CONTRACT §4, §6), the same answer a registered URL gets.
  const absoluteUrl = plainText()
    .max(limits.urlChars)
    .refine((value) => URL.canParse(value), 'must be an absolute URL');
  return z.object({
    title: plainText().trim().min(1).max(limits.titleChars),
    body: plainText().max(limits.bodyChars).optional(),
    priority: z.enum(['low', 'normal', 'high']).default('normal'),
    actions: Actions.default([]),
    callback_url: absoluteUrl.optional(),
    events_url: absoluteUrl.optional(),
    data: checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: limits.jsonDepth, maxBytes: limits.dataBytes }).optional(),
    expires_in: z.number().int().min(limits.minExpiresInSeconds).max(limits.maxExpiresInSeconds).optional(),
    /** Destinations (ids or kinds) held back and tried in order when a delivery fails for good. */
    fallback: FallbackList.optional(),
    /** Replaces the channel's escalation policy for this message. */
    escalation: EscalationPolicyInput.optional(),
  });
}

export const SendRequest = makeSendRequest();
export type SendRequest = z.infer<typeof SendRequest>;

export const SendResponse = z.object({ ok: z.literal(true), id: z.string() });
export type SendResponse = z.infer<typeof SendResponse>;
