import {
  toSeed004Timestamp,
  unavailableError,
  webhookDeliverPublications,
  type RoomPingEvent,
  type SendRequest,
  type TriggerSource,
  type WebhookDeliver,
} from '@pingback/contracts';
import { InvalidMessageError } from '@pingback/broker';
import { newId } from '@pingback/security';
import type { Prisma, Room } from '../../generated/prisma/client';
import type { PingIdempotency } from '../../data/room-ping.repository';
import { notificationPayload, publishNotification } from '../send-notification';
import type { RoomDeps } from './room-deps';

/** What a ping says, however it was raised (a fire, the API, a test). */
export interface PingContent {
  title: string;
  message: string;
  sender: string;
  actionNumber: number | null;
  triggerSource: TriggerSource;
  data: Record<string, unknown> | null;
  /** The incoming webhook that fired it, if one did. */
  webhookId: string | null;
}

export interface RaisedPing {
  id: string;
  triggeredAt: Date;
  messages: { channel_id: string; message_id: string }[];
}

/** Every member can answer its copy (seed 000's loop): one button that says the ping was seen. */
const ACKNOWLEDGE = [{ type: 'button' as const, key: 'ack', label: 'Got it', style: 'primary' as const }];

/** Seed 004's `body`: the sender, then the message. */
export const pingBody = (content: Pick<PingContent, 'sender' | 'message'>) => (content.message ? `${content.sender}: ${content.message}` : content.sender);

/** Seed 004's outgoing event: signal only, no tokens. */
export function pingEvent(room: Pick<Room, 'name' | 'inviteCode'>, content: PingContent, at: Date): RoomPingEvent {
  return {
    event: 'ping',
    room: { name: room.name, code: room.inviteCode },
    title: content.title,
    body: pingBody(content),
    sender: content.sender,
    action_number: content.actionNumber,
    trigger_source: content.triggerSource,
    timestamp: toSeed004Timestamp(at),
  };
}

/** The room's outgoing POST, when it has a URL switched on; its health is the deliverer's to judge. */
export function outgoingCommand(room: Room, body: Record<string, unknown>, webhookId: string, subjectId: string): WebhookDeliver['payload'] | null {
  if (!room.outgoingUrl || !room.outgoingEnabled) return null;
  return {
    webhookId,
    purpose: 'room',
    url: room.outgoingUrl,
    body,
    signer: { kind: 'room', id: room.id },
    subject: { accountId: room.accountId, kind: 'room_ping', id: subjectId, refs: { roomId: room.id } },
    endpoint: { kind: 'room_webhook', id: room.id },
  };
}

/**
 * Raises a ping in a room: one message per member channel (each answerable on its own links, as any send) and a
 * POST to the room's outgoing webhook. The ping is recorded and every command confirmed by the broker in one
 * transaction, so a 200 means every member will get it (CONTRACT §2). `answer` builds the response the ping is
 * recorded with; with an Idempotency-Key that a live ping holds, nothing is raised and that ping's response
 * comes back instead.
 */
export async function raisePing(
  deps: RoomDeps,
  room: Room,
  content: PingContent,
  idempotency: PingIdempotency | null,
  answer: (ping: RaisedPing) => Record<string, unknown>,
  traceId: string,
): Promise<{ replayed: boolean; body: Record<string, unknown> }> {
  const now = deps.now();
  const id = newId('png_');
  const members = await deps.rooms.memberChannels(room.id);
  const send: SendRequest = {
    title: content.title,
    body: pingBody(content),
    priority: 'normal',
    actions: ACKNOWLEDGE,
    data: {
      room: { name: room.name, code: room.inviteCode },
      ping_id: id,
      sender: content.sender,
      action_number: content.actionNumber,
      trigger_source: content.triggerSource,
      ...(content.data ? { data: content.data } : {}),
    },
  };
  const payloads = members.map((channel) => notificationPayload(deps, channel, send, now));
  const messages = payloads.map((payload) => ({ channel_id: payload.channelId, message_id: payload.messageId }));
  const body = answer({ id, triggeredAt: now, messages });
  const outgoing = outgoingCommand(room, pingEvent(room, content, now), `rwh_${id.slice('png_'.length)}`, id);

  const publish = async () => {
    await Promise.all([
      ...payloads.map((payload) => publishNotification(deps, payload, traceId)),
      ...(outgoing ? [publishOutgoing(deps, outgoing, traceId, now)] : []),
    ]);
  };
  const recorded = await deps.pings.record(
    { id, roomId: room.id, accountId: room.accountId, webhookId: content.webhookId, triggerSource: content.triggerSource, response: body as Prisma.InputJsonValue, messages },
    idempotency,
    now,
    publish,
  );
  if (recorded.kind === 'replay') return { replayed: true, body: recorded.ping.response as Record<string, unknown> };
  return { replayed: false, body };
}

async function publishOutgoing(deps: Pick<RoomDeps, 'broker'>, command: WebhookDeliver['payload'], traceId: string, at: Date): Promise<void> {
  try {
    await deps.broker.publish(webhookDeliverPublications.room, command, { traceId, id: command.webhookId, occurredAt: at });
  } catch (error) {
    if (error instanceof InvalidMessageError) throw error;
    throw unavailableError('the ping could not be queued, try again shortly');
  }
}
