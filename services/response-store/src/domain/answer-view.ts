import { toSeedTimestamp, type AnswerResult } from '@pingback/contracts';
import { responsesOf, type StoredMessage } from '../data/message.repository';

/** Seed 001's answer body: the callback body and a submitted poll's `result`. */
export function answerResult(message: StoredMessage): AnswerResult {
  return {
    message_id: message.id,
    channel_id: message.channelId,
    timestamp: toSeedTimestamp(message.answeredAt!),
    triggered_by: message.triggeredBy!,
    responses: responsesOf(message),
  };
}
