import { INBOX_PAGE_SIZE, type InboxItem, type InboxPage, type LinkState, type LinkView, type PublicMessage } from '@pingback/contracts';
import { signId, type Keyring } from '@pingback/security';
import { actionsOf, responsesOf, type MessageRepository, type StoredMessage } from '../data/message.repository';
import type { Clock } from './clock';
import { messageForLink } from './submit-answer';

/** What a respond page shows. Reading never changes anything (mail scanners open links). */
export async function viewLink(deps: { repo: MessageRepository; keyring: Keyring; clock: Clock; recordWaitMs: number }, token: string): Promise<LinkView> {
  const { deliveryId, message } = await messageForLink(deps, token);
  return { deliveryId, state: linkState(message, deps.clock.now()), message: publicMessage(message) };
}

export function linkState(message: StoredMessage, now: Date): LinkState {
  if (message.status === 'answered') return 'answered';
  return message.expiresAt <= now ? 'expired' : 'open';
}

export function publicMessage(message: StoredMessage): PublicMessage {
  return {
    id: message.id,
    channel_id: message.channelId,
    title: message.title,
    body: message.body,
    // Written from a validated send, so one of the three.
    priority: message.priority as PublicMessage['priority'],
    actions: actionsOf(message),
    created_at: message.createdAt.toISOString(),
    expires_at: message.expiresAt.toISOString(),
    answer:
      message.status === 'answered'
        ? { triggered_by: message.triggeredBy!, responses: responsesOf(message), answered_at: message.answeredAt!.toISOString() }
        : null,
  };
}

/**
 * A page of the channel's inbox: its messages newest first, each `waiting` (with its web respond link), `answered`
 * or `expired`; `next_before` names where the next, older, page starts.
 */
export async function listInbox(deps: { repo: MessageRepository; keyring: Keyring; clock: Clock }, channelId: string, page: { before?: string | undefined; limit?: number } = {}): Promise<InboxPage> {
  const limit = page.limit ?? INBOX_PAGE_SIZE;
  const rows = await deps.repo.messagesOfChannel(channelId, page.before, limit + 1);
  const now = deps.clock.now();
  const data = rows.slice(0, limit).map((m): InboxItem => {
    const link = linkState(m, now);
    const state = link === 'open' ? 'waiting' : link;
    return { ...publicMessage(m), state, respond_token: state === 'waiting' && m.deliveries[0] ? signId(deps.keyring, 'respond-link', m.deliveries[0].id) : null };
  });
  return { data, next_before: rows.length > limit ? data.at(-1)!.id : null };
}
