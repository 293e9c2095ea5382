import {
  DelivererRoutes,
  DomainError,
  type OutgoingWebhookView,
  type TestDeliveryResult,
  type UpdateOutgoingWebhookRequest,
} from '@pingback/contracts';
import { decryptSecret, encryptSecret, generateSecret, newId } from '@pingback/security';
import type { Room } from '../../generated/prisma/client';
import { assertRegisteredUrlSafe } from '../channel-destinations';
import { outgoingCommand, pingEvent } from './raise-ping';
import type { RoomDeps } from './room-deps';
import { ownedRoom } from './rooms';

const endpointOf = (room: Room) => ({ kind: 'room_webhook', id: room.id }) as const;

/** Seed 004's config, with the signing secret (no-store) and the health webhook-deliverer keeps. */
async function view(deps: RoomDeps, room: Room, traceId: string): Promise<OutgoingWebhookView> {
  const health = room.outgoingUrl
    ? await deps.deliverer(DelivererRoutes.endpointHealth, { params: endpointOf(room), query: { account_id: room.accountId }, traceId, timeoutMs: 10_000 })
    : null;
  return {
    url: room.outgoingUrl,
    enabled: room.outgoingEnabled && !health?.disabled_at,
    signing_secret: room.outgoingSecret ? decryptSecret(deps.keyring, room.outgoingSecret) : null,
    consecutive_failures: health?.consecutive_failures ?? 0,
    disabled_at: health?.disabled_at ?? null,
    disabled_reason: health?.disabled_reason ?? null,
    updated_at: room.outgoingUpdatedAt?.toISOString() ?? null,
  };
}

const withoutCounts = ({ _count: _counts, ...room }: Awaited<ReturnType<typeof ownedRoom>>): Room => room;

export async function getOutgoingWebhook(deps: RoomDeps, accountId: string, code: string, traceId: string): Promise<OutgoingWebhookView> {
  return view(deps, withoutCounts(await ownedRoom(deps, accountId, code)), traceId);
}

/**
 * Sets url / enabled, and rotates the signing secret on `regenerate_secret` (the old one signs beside it for the
 * overlap, CONTRACT §6). A new URL is checked as every registered URL is (422 unsafe_url). Switching it on, or
 * pointing it somewhere new, clears the health record: an endpoint disabled for failing starts again from 0.
 */
export async function updateOutgoingWebhook(deps: RoomDeps, accountId: string, code: string, request: UpdateOutgoingWebhookRequest, traceId: string) {
  let room = withoutCounts(await ownedRoom(deps, accountId, code));
  if (request.url) {
    assertNotOwnFireUrl(deps.publicUrl, request.url);
    await assertRegisteredUrlSafe(deps, request.url);
  }
  const now = deps.now();
  const urlChanged = request.url !== undefined && request.url !== room.outgoingUrl;
  const switchedOn = request.enabled === true || (urlChanged && request.url !== null && request.enabled === undefined);
  if (switchedOn || urlChanged) {
    await deps.deliverer(DelivererRoutes.enableEndpoint, { params: endpointOf(room), body: { account_id: accountId }, traceId, timeoutMs: 10_000 });
  }
  room = await deps.rooms.updateOutgoing(room.id, {
    ...(request.url !== undefined ? { outgoingUrl: request.url } : {}),
    ...(request.enabled !== undefined ? { outgoingEnabled: request.enabled } : switchedOn ? { outgoingEnabled: true } : {}),
    ...(request.url === null ? { outgoingEnabled: false } : {}),
    outgoingUpdatedAt: now,
  });
  if (!room.outgoingSecret || request.regenerate_secret) room = await rotateSecret(deps, room);
  return view(deps, room, traceId);
}

/** A room's pings POSTed to a fire URL of ours would fire rooms in a loop (the fire route refuses them too). */
function assertNotOwnFireUrl(publicUrl: string, url: string): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return; // assertRegisteredUrlSafe says why
  }
  if (target.origin === new URL(publicUrl).origin && target.pathname.startsWith('/api/webhooks/')) {
    throw new DomainError('unsafe_url', "url: a room's outgoing webhook cannot be a Pingback fire URL: it would ping in a loop", { reason: 'own_fire_url', field: 'url' });
  }
}

async function rotateSecret(deps: RoomDeps, room: Room): Promise<Room> {
  for (;;) {
    const secret = encryptSecret(deps.keyring, generateSecret('whsec_'));
    const now = deps.now();
    const replaced = await deps.rooms.replaceOutgoingSecret(room.id, room.outgoingSecret, {
      outgoingSecret: secret,
      previousOutgoingSecret: room.outgoingSecret,
      previousOutgoingSecretValidUntil: room.outgoingSecret ? new Date(now.getTime() + deps.secretOverlapMs) : null,
      outgoingUpdatedAt: now,
    });
    const current = await deps.rooms.findById(room.id);
    if (!current) throw new DomainError('not_found', 'room not found');
    if (replaced) {
      await deps.changes.signerChanged({ kind: 'room', id: room.id });
      return current;
    }
    room = current;
  }
}

/** Seed 004's synchronous test: one signed POST of a `test` ping to the configured URL, answered with its outcome. */
export async function testOutgoingWebhook(deps: RoomDeps, accountId: string, code: string, traceId: string): Promise<TestDeliveryResult> {
  const room = withoutCounts(await ownedRoom(deps, accountId, code));
  if (!room.outgoingUrl) throw new DomainError('validation_failed', 'set the outgoing webhook URL first', { fields: [{ path: 'url', message: 'no URL is set' }] });
  const id = newId('png_');
  const event = pingEvent(room, { title: room.name, message: 'Test delivery', sender: 'Pingback', actionNumber: null, triggerSource: 'test', data: null, webhookId: null }, deps.now());
  const command = outgoingCommand({ ...room, outgoingEnabled: true }, event, `rwt_${id.slice('png_'.length)}`, id)!;
  return deps.deliverer(DelivererRoutes.testDelivery, { body: command, traceId, timeoutMs: 15_000 });
}
