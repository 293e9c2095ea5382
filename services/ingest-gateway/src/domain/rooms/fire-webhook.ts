import { createHash } from 'node:crypto';
import { DomainError, FireRequest, FireResponse, toSeed004Timestamp } from '@pingback/contracts';
import { AppError, validationFailedFields } from '@pingback/http';
import { hashCandidates } from '@pingback/security';
import type { StoredIncomingWebhook } from '../../data/incoming-webhook.repository';
import type { Room } from '../../generated/prisma/client';
import { raisePing, type PingContent } from './raise-ping';
import type { RoomDeps } from './room-deps';

/** Seed 004's fire URL, as it arrived. */
export interface FireCall {
  inviteCode: string;
  secret: string;
  /** The JSON body; undefined for a GET or an empty POST. */
  body: unknown;
  idempotencyKey: string | undefined;
  /** The `webhook-id` header, when the caller sent one: a room's own outgoing POST must not fire a room. */
  webhookIdHeader: string | undefined;
}

/** The webhook-ids of a room's outgoing POSTs (pings and tests), as raise-ping.ts and outgoing-webhook.ts make them. */
const ROOM_POST_ID = /^rw[ht]_/;

export interface FireOutcome {
  body: FireResponse;
  replayed: boolean;
}

const MAX_IDEMPOTENCY_KEY_CHARS = 255;

/** The room and webhook a fire URL names, or seed 004's 404 / 403. */
export async function fireTarget(deps: RoomDeps, inviteCode: string, secret: string): Promise<{ room: Room; webhook: StoredIncomingWebhook }> {
  const room = await deps.rooms.findByCode(inviteCode.toUpperCase());
  if (!room) throw new DomainError('room_not_found', 'no active room matches the invite code in the URL');
  const webhook = secret.startsWith('whk_') ? await deps.incomingWebhooks.findBySecretHash(hashCandidates(deps.keyring, secret)) : null;
  if (!webhook || webhook.roomId !== room.id) throw new DomainError('invalid_secret', 'the secret in the URL does not match any webhook on the room');
  return { room, webhook };
}

/**
 * Seed 004's fire, checks in this order: the room (404), the secret (403), 60 calls a minute per room and secret
 * (every call past the secret counts), switched off (403), the body (422), the cooldown (429; before the
 * Idempotency-Key, so a reused key cannot bypass it), then the key (a replay), then the ping.
 */
export async function fireWebhook(deps: RoomDeps, call: FireCall, traceId: string): Promise<FireOutcome> {
  const { room, webhook } = await fireTarget(deps, call.inviteCode, call.secret);
  if (call.webhookIdHeader && ROOM_POST_ID.test(call.webhookIdHeader)) {
    throw validationFailedFields([{ path: 'webhook-id', message: "a room's outgoing webhook cannot fire a room: it would ping in a loop" }], 422);
  }
  await deps.rateLimit('room-webhook', `${room.id}:${webhook.id}`, deps.roomConfig.fireRatePerMinute);
  if (!webhook.enabled) throw new DomainError('webhook_disabled', 'this webhook is switched off');
  const request = FireRequest.parse(call.body ?? {});
  const keyHash = idempotencyKeyHash(call.idempotencyKey);

  const cooldown = await deps.cooldowns.take(webhook.id, webhook.cooldownSeconds);
  if (!cooldown.taken) {
    const retryAfter = cooldown.retryAfterSeconds;
    throw new AppError('cooldown_active', `this webhook fired less than ${webhook.cooldownSeconds} s ago`, { retry_after: retryAfter }, { 'Retry-After': String(retryAfter) });
  }
  try {
    const claim = keyHash ? await deps.fireIdempotency.claim(webhook.id, keyHash) : null;
    if (claim?.kind === 'replay') {
      await deps.cooldowns.giveBack(webhook.id, cooldown.token);
      return { body: claim.body as FireResponse, replayed: true };
    }
    try {
      const outcome = await fire(deps, room, webhook, request, keyHash, traceId);
      if (keyHash) await deps.fireIdempotency.answer(webhook.id, keyHash, outcome.body);
      // A replay found in Postgres (Redis had forgotten the key) starts no cooldown either.
      if (outcome.replayed) await deps.cooldowns.giveBack(webhook.id, cooldown.token);
      return outcome;
    } catch (error) {
      if (keyHash && claim?.kind === 'owner') await deps.fireIdempotency.release(webhook.id, keyHash, claim.token);
      throw error;
    }
  } catch (error) {
    await deps.cooldowns.giveBack(webhook.id, cooldown.token);
    throw error;
  }
}

/** A test fire (seed 004's management `test`): the webhook's own action, no cooldown, no rate limit, no key. */
export async function testFire(deps: RoomDeps, room: Room, webhook: StoredIncomingWebhook, traceId: string): Promise<FireResponse> {
  return (await fire(deps, room, webhook, {}, null, traceId, 'test')).body;
}

async function fire(
  deps: RoomDeps,
  room: Room,
  webhook: StoredIncomingWebhook,
  request: FireRequest,
  keyHash: string | null,
  traceId: string,
  triggerSource: PingContent['triggerSource'] = 'webhook',
): Promise<FireOutcome> {
  const actionNumber = request.action ?? webhook.actionNumber;
  const actionHook = actionNumber === webhook.actionNumber ? webhook : await deps.incomingWebhooks.findByAction(room.id, actionNumber);
  const action = { number: actionNumber, label: actionHook?.label ?? `Action ${actionNumber}`, icon: actionHook?.emoji ?? null };
  const content: PingContent = {
    title: request.title ?? webhook.title ?? room.name,
    message: request.message ?? webhook.message ?? '',
    sender: webhook.name,
    actionNumber,
    triggerSource,
    data: request.data ?? null,
    webhookId: webhook.id,
  };
  const idempotency = keyHash ? { webhookId: webhook.id, keyHash, ttlMs: deps.roomConfig.idempotencyTtlMs } : null;
  const raised = await raisePing(
    deps,
    room,
    content,
    idempotency,
    (ping): FireResponse => ({
      success: true,
      message: 'Webhook triggered successfully',
      notification_id: ping.id,
      room: { id: room.id, name: room.name },
      webhook: { id: webhook.id, name: webhook.name, emoji: webhook.emoji },
      action,
      notification_title: content.title,
      notification_message: content.message,
      triggered_at: toSeed004Timestamp(ping.triggeredAt),
    }),
    traceId,
  );
  // A replay read back from jsonb, which keeps no key order: seed 004's order again, so every answer is the same bytes.
  return { body: raised.replayed ? FireResponse.parse(raised.body) : (raised.body as FireResponse), replayed: raised.replayed };
}

/** Keys are compared by their SHA-256, so any printable key up to 255 characters fits the index. */
function idempotencyKeyHash(key: string | undefined): string | null {
  if (key === undefined || key === '') return null;
  if (key.length > MAX_IDEMPOTENCY_KEY_CHARS) {
    throw validationFailedFields([{ path: 'Idempotency-Key', message: `must be at most ${MAX_IDEMPOTENCY_KEY_CHARS} characters` }], 422);
  }
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
