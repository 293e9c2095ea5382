import { z } from 'zod';
import { DEFAULT_LIMITS } from '../limits';
import { checkedJsonObject } from './json-object';
import { plainText } from './text';

/** POST {respond_url}: the person's answer. Checked against the message's actions by response-store. */
export const AnswerRequest = z.object({
  triggered_by: plainText().min(1).max(64),
  responses: checkedJsonObject(z.record(plainText(), plainText()), { maxDepth: DEFAULT_LIMITS.jsonDepth }).default({}),
});
export type AnswerRequest = z.infer<typeof AnswerRequest>;

/** Seed 001's callback body, also the `result` of a submitted poll. */
export const AnswerResult = z.object({
  message_id: z.string(),
  channel_id: z.string(),
  timestamp: z.string(),
  triggered_by: z.string(),
  responses: z.record(z.string(), z.string()),
});
export type AnswerResult = z.infer<typeof AnswerResult>;

export const PollStatus = z.enum(['pending', 'submitted', 'expired', 'already_read', 'failed']);
export type PollStatus = z.infer<typeof PollStatus>;

export const PollResponse = z.union([
  z.object({ status: z.literal('submitted'), result: AnswerResult, submitted_at: z.string() }),
  z.object({ status: PollStatus.exclude(['submitted']) }),
]);
export type PollResponse = z.infer<typeof PollResponse>;
