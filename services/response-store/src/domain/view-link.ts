import type { InboxItem, LinkState, LinkView, PublicMessage } from '@pingback/contracts';
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

/** The channel's inbox: open messages, newest first, each with its web respond link. */
export async function listInbox(deps: { repo: MessageRepository; keyring: Keyring; clock: Clock }, channelId: string, limit = 50): Promise<InboxItem[]> {
  const messages = await deps.repo.openMessagesOfChannel(channelId, deps.clock.now(), limit);
  return messages.map((m) => ({
    ...publicMessage(m),
    respond_token: m.deliveries[0] ? signId(deps.keyring, 'respond-link', m.deliveries[0].id) : null,
  }));
}
