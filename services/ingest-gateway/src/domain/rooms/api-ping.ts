import { toSeed004Timestamp, type RoomPingRequest, type RoomPingResponse } from '@pingback/contracts';
import { raisePing, type PingContent } from './raise-ping';
import type { RoomDeps } from './room-deps';
import { ownedRoom } from './rooms';

const DEFAULT_SENDER = { manual: 'API', agent: 'Agent' } as const;

/** `POST /api/rooms/{inviteCode}/ping`: a ping raised by its owner's key, for a person or an agent. */
export async function pingByApi(deps: RoomDeps, accountId: string, code: string, request: RoomPingRequest, traceId: string): Promise<RoomPingResponse> {
  const stored = await ownedRoom(deps, accountId, code);
  const { _count: _counts, ...room } = stored;
  const actionNumber = request.action ?? null;
  const actionHook = actionNumber === null ? null : await deps.incomingWebhooks.findByAction(room.id, actionNumber);
  const content: PingContent = {
    title: request.title ?? actionHook?.title ?? room.name,
    message: request.message ?? actionHook?.message ?? '',
    sender: request.sender ?? DEFAULT_SENDER[request.trigger_source],
    actionNumber,
    triggerSource: request.trigger_source,
    data: request.data ?? null,
    webhookId: null,
  };
  const raised = await raisePing(
    deps,
    room,
    content,
    null,
    (ping): RoomPingResponse => ({
      notification_id: ping.id,
      room: { id: room.id, name: room.name, code: room.inviteCode },
      notification_title: content.title,
      notification_message: content.message,
      sender: content.sender,
      action_number: content.actionNumber,
      trigger_source: content.triggerSource,
      triggered_at: toSeed004Timestamp(ping.triggeredAt),
      messages: ping.messages,
    }),
    traceId,
  );
  return raised.body as RoomPingResponse;
}
