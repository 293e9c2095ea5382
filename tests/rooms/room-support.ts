import { createChannel, request, type ChannelCredentials } from '../support/api';
import type { Stack } from '../support/stack';

export interface TestRoom {
  owner: ChannelCredentials;
  code: string;
  id: string;
  auth: Record<string, string>;
}

export interface TestWebhook {
  id: string;
  secret: string;
  webhook_url: string;
  action_number: number;
}

/** An account whose channel (delivering to `destinationUrl`, when given) is the one member of a new room. */
export async function createRoom(stack: Stack, name: string, destinationUrl?: string): Promise<TestRoom> {
  const owner = await createChannel(stack, destinationUrl ? [{ type: 'webhook', url: destinationUrl }] : []);
  const auth = { authorization: `Bearer ${owner.apiKey}` };
  const room = await request<{ id: string; invite_code: string }>(`${stack.url}/api/rooms`, { body: { name }, headers: auth });
  if (room.status !== 201) throw new Error(`create room: ${room.status} ${JSON.stringify(room.body)}`);
  const member = await request(`${stack.url}/api/rooms/${room.body.invite_code}/members`, { body: { channel_id: owner.channelId }, headers: auth });
  if (member.status !== 201) throw new Error(`add member: ${member.status} ${JSON.stringify(member.body)}`);
  return { owner, code: room.body.invite_code, id: room.body.id, auth };
}

export async function createWebhook(stack: Stack, room: TestRoom, body: Record<string, unknown>): Promise<TestWebhook> {
  const created = await request<TestWebhook>(`${stack.url}/api/rooms/${room.code}/webhooks`, { body, headers: room.auth });
  if (created.status !== 201) throw new Error(`create webhook: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function setOutgoing(stack: Stack, room: TestRoom, url: string): Promise<{ signing_secret: string }> {
  const set = await request<{ signing_secret: string }>(`${stack.url}/api/rooms/${room.code}/outgoing-webhook`, { method: 'PUT', body: { url }, headers: room.auth });
  if (set.status !== 200) throw new Error(`set outgoing webhook: ${set.status} ${JSON.stringify(set.body)}`);
  return set.body;
}

export const fire = (webhook: TestWebhook, body?: unknown, headers: Record<string, string> = {}) =>
  request<Record<string, unknown>>(webhook.webhook_url, body === undefined ? { method: 'POST', headers } : { body, headers });
