import { z } from 'zod';
import { AnswerRequest, PollResponse } from '../http/answer';
import { MessageList } from '../http/management-lists';
import { CarriedAction } from '../messages/notification';
import type { InternalRoute } from './route';

export const LinkState = z.enum(['open', 'answered', 'expired']);
export type LinkState = z.infer<typeof LinkState>;

/** A message as respond pages, the inbox and GET /api/messages show it. */
export const PublicMessage = z.object({
  id: z.string(),
  channel_id: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  priority: z.enum(['low', 'normal', 'high']),
  actions: z.array(CarriedAction),
  created_at: z.string(),
  expires_at: z.string(),
  answer: z.object({ triggered_by: z.string(), responses: z.record(z.string(), z.string()), answered_at: z.string() }).nullable(),
});
export type PublicMessage = z.infer<typeof PublicMessage>;

export const LinkView = z.object({ deliveryId: z.string(), state: LinkState, message: PublicMessage });
export type LinkView = z.infer<typeof LinkView>;

export const MessageRecord = PublicMessage.extend({ account_id: z.string(), callback_state: z.string().nullable() });
export type MessageRecord = z.infer<typeof MessageRecord>;

/**
 * A message in its channel's inbox: `waiting` for an answer (with the respond link's token), `answered` (the answer
 * is in `answer`) or `expired` (its window closed unanswered, or its channel closed it).
 */
export const InboxItem = PublicMessage.extend({ state: z.enum(['waiting', 'answered', 'expired']), respond_token: z.string().nullable() });
export type InboxItem = z.infer<typeof InboxItem>;

/** A page of an inbox, newest first; `next_before` asks for the next (older) page. */
export const InboxPage = z.object({ data: z.array(InboxItem), next_before: z.string().nullable() });
export type InboxPage = z.infer<typeof InboxPage>;

/** How many messages an inbox page shows. */
export const INBOX_PAGE_SIZE = 20;

/** response-store's internal port: the answers it owns. */
export const ResponseStoreRoutes = {
  viewLink: { method: 'GET', pattern: '/internal/links/:token', response: LinkView },
  submitAnswer: { method: 'POST', pattern: '/internal/links/:token/answer', request: AnswerRequest, response: PublicMessage },
  poll: { method: 'GET', pattern: '/internal/messages/:id/poll', response: PollResponse },
  readMessage: { method: 'GET', pattern: '/internal/messages/:id', response: MessageRecord },
  /** Query `before`: a message id; the page holds the messages older than it. */
  inbox: { method: 'GET', pattern: '/internal/channels/:id/inbox', response: InboxPage },
  /** GET /api/messages: query `InternalMessageListQuery` (the account from the gateway's authentication). */
  listMessages: { method: 'GET', pattern: '/internal/messages', response: MessageList },
  /** A channel is being deleted: its open messages close now (their links then answer 410). */
  expireOpenMessages: { method: 'POST', pattern: '/internal/channels/:id/expire-open', response: z.object({ expired: z.number().int() }) },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
