import { toSeedTimestamp, type PollResponse } from '@pingback/contracts';
import type { MessageRepository } from '../data/message.repository';
import { answerResult } from './answer-view';
import type { Clock } from './clock';

export interface ReadAnswerDeps {
  repo: MessageRepository;
  clock: Clock;
  readWindowMs: number;
}

/**
 * A poll (seed 000/001, CONTRACT §5). The answer is handed out once: the first poll that finds it readable
 * gets `submitted`, and a conditional update makes sure only one concurrent poll can.
 * Returns null when the message belongs to another channel.
 */
export async function readAnswerOnce(deps: ReadAnswerDeps, channelId: string, messageId: string): Promise<PollResponse | null> {
  const message = await deps.repo.findById(messageId);
  // The gateway checked that this id was issued for this channel; it may not be recorded yet.
  if (!message) return { status: 'pending' };
  if (message.channelId !== channelId) return null;
  const now = deps.clock.now();

  if (message.status === 'pending') return { status: message.expiresAt <= now ? 'expired' : 'pending' };
  if (await deps.repo.markReadOnce(message.id, now, deps.readWindowMs)) {
    return { status: 'submitted', result: answerResult(message), submitted_at: toSeedTimestamp(message.answeredAt!) };
  }
  const current = (await deps.repo.findById(message.id))!;
  if (current.readAt) return { status: 'already_read' };
  if (current.callbackState === 'failed') return { status: 'failed' };
  return { status: 'expired' };
}
