import { randomInt } from 'node:crypto';
import { DomainError, notFoundError, toPage, type ListQuery, type MemberView, type RoomView } from '@pingback/contracts';
import { newId } from '@pingback/security';
import type { StoredRoom } from '../../data/room.repository';
import type { RoomDeps } from './room-deps';

/** No 0/O, 1/I/L: an invite code is read aloud and typed from a screen. */
const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const INVITE_LENGTH = 8;

const inviteCode = () => Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');

export const roomView = (room: StoredRoom): RoomView => ({
  id: room.id,
  name: room.name,
  invite_code: room.inviteCode,
  member_count: room._count.members,
  webhook_count: room._count.webhooks,
  created_at: room.createdAt.toISOString(),
});

/** An account's room by its invite code; another account's is not found (CONTRACT §3). */
export async function ownedRoom(deps: Pick<RoomDeps, 'rooms'>, accountId: string, code: string): Promise<StoredRoom> {
  const room = await deps.rooms.findOwned(accountId, code.toUpperCase());
  if (!room) throw notFoundError('room');
  return room;
}

export async function createRoom(deps: RoomDeps, accountId: string, name: string): Promise<RoomView> {
  if ((await deps.rooms.countOwned(accountId)) >= deps.roomConfig.maxRoomsPerAccount) {
    throw new DomainError('room_limit_reached', `an account has at most ${deps.roomConfig.maxRoomsPerAccount} rooms: delete one first`, {
      limit: deps.roomConfig.maxRoomsPerAccount,
    });
  }
  // 31^8 codes: a clash is rare, and the unique index catches it.
  for (;;) {
    const room = await deps.rooms.create({ id: newId('room_'), accountId, name, inviteCode: inviteCode() });
    if (room) return roomView(room);
  }
}

export async function renameRoom(deps: RoomDeps, accountId: string, code: string, name: string): Promise<RoomView> {
  const room = await ownedRoom(deps, accountId, code);
  if (!(await deps.rooms.rename(accountId, room.id, name))) throw notFoundError('room');
  return roomView({ ...room, name });
}

/** The room goes with its members, webhooks and pings; its fire URLs stop at once, its outgoing POSTs fail unsigned. */
export async function deleteRoom(deps: RoomDeps, accountId: string, code: string): Promise<void> {
  const room = await ownedRoom(deps, accountId, code);
  if (!(await deps.rooms.deleteOwned(accountId, room.id))) throw notFoundError('room');
  await deps.changes.signerChanged({ kind: 'room', id: room.id });
}

const memberView = (member: { channelId: string; createdAt: Date; channel: { name: string } }): MemberView => ({
  channel_id: member.channelId,
  name: member.channel.name,
  added_at: member.createdAt.toISOString(),
});

export async function listMembers(deps: RoomDeps, accountId: string, code: string, page: ListQuery): Promise<{ data: MemberView[]; next_cursor: string | null }> {
  const room = await ownedRoom(deps, accountId, code);
  const members = await deps.rooms.listMembers(room.id, { limit: page.limit + 1, ...(page.cursor ? { after: page.cursor } : {}) });
  return toPage(members.map((member) => ({ ...member, id: member.channelId })), page.limit, memberView);
}

/** A member is one of the account's channels; adding it again changes nothing. */
export async function addMember(deps: RoomDeps, accountId: string, code: string, channelId: string): Promise<{ member: MemberView; added: boolean }> {
  const room = await ownedRoom(deps, accountId, code);
  const channel = await deps.channels.findOwned(accountId, channelId);
  if (!channel) throw notFoundError('channel');
  if ((await deps.rooms.countMembers(room.id)) >= deps.roomConfig.maxMembersPerRoom) {
    throw new DomainError('member_limit_reached', `a room has at most ${deps.roomConfig.maxMembersPerRoom} members`, { limit: deps.roomConfig.maxMembersPerRoom });
  }
  const added = await deps.rooms.addMember(room.id, channel.id);
  const member = await deps.rooms.findMember(room.id, channel.id);
  // Deleted between the two statements: the channel is gone, so is its membership.
  if (!member) throw notFoundError('channel');
  return { member: memberView(member), added };
}

export async function removeMember(deps: RoomDeps, accountId: string, code: string, channelId: string): Promise<void> {
  const room = await ownedRoom(deps, accountId, code);
  if (!(await deps.rooms.removeMember(room.id, channelId))) throw notFoundError('member');
}
