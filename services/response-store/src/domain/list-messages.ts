import { toPage, type InternalMessageListQuery, type MessageList } from '@pingback/contracts';
import type { MessageRepository } from '../data/message.repository';
import type { Clock } from './clock';
import { linkState } from './view-link';

const STATUS = { open: 'pending', answered: 'answered', expired: 'expired' } as const;

/** One page of an account's messages, newest first; `next_cursor` is null on the last page. */
export async function listMessages(deps: { repo: MessageRepository; clock: Clock }, query: InternalMessageListQuery): Promise<MessageList> {
  const rows = await deps.repo.listMessages({
    accountId: query.account_id,
    ...(query.channel_id ? { channelId: query.channel_id } : {}),
    ...(query.cursor ? { before: query.cursor } : {}),
    limit: query.limit + 1,
  });
  const now = deps.clock.now();
  return toPage(rows, query.limit, (m) => ({
      id: m.id,
      channel_id: m.channelId,
      title: m.title,
      priority: m.priority,
      status: STATUS[linkState(m, now)],
      created_at: m.createdAt.toISOString(),
      expires_at: m.expiresAt.toISOString(),
      answered_at: m.answeredAt?.toISOString() ?? null,
  }));
}
