import {
  DomainError,
  MAX_INCOMING_WEBHOOKS,
  MAX_COOLDOWN_SECONDS,
  notFoundError,
  type CreateIncomingWebhookRequest,
  type IncomingWebhookView,
  type UpdateIncomingWebhookRequest,
} from '@pingback/contracts';
import { decryptSecret, encryptSecret, generateSecret, hashSecret, newId } from '@pingback/security';
import type { StoredIncomingWebhook } from '../../data/incoming-webhook.repository';
import type { RoomDeps } from './room-deps';
import { ownedRoom } from './rooms';

/** The fire URL: the secret in the path is the credential (seed 004), so only the owner ever sees it. */
export const fireUrl = (deps: Pick<RoomDeps, 'publicUrl'>, inviteCode: string, secret: string) =>
  `${deps.publicUrl.replace(/\/$/, '')}/api/webhooks/${inviteCode}/${secret}`;

/** A label is the quick action's name; without one, the webhook's. */
const labelOf = (request: { label?: string | null | undefined; name: string }) => request.label ?? request.name;

function view(deps: RoomDeps, inviteCode: string, webhook: StoredIncomingWebhook): IncomingWebhookView {
  const secret = decryptSecret(deps.keyring, webhook.secret);
  return {
    id: webhook.id,
    name: webhook.name,
    action_number: webhook.actionNumber,
    label: webhook.label,
    emoji: webhook.emoji,
    sound: webhook.sound,
    title: webhook.title,
    message: webhook.message,
    cooldown: webhook.cooldownSeconds,
    enabled: webhook.enabled,
    webhook_url: fireUrl(deps, inviteCode, secret),
    secret,
    created_at: webhook.createdAt.toISOString(),
  };
}

export async function createIncomingWebhook(deps: RoomDeps, accountId: string, code: string, request: CreateIncomingWebhookRequest): Promise<IncomingWebhookView> {
  const room = await ownedRoom(deps, accountId, code);
  const secret = generateSecret('whk_');
  const webhook = await deps.incomingWebhooks.create({
    id: newId('iwh_'),
    roomId: room.id,
    name: request.name,
    label: labelOf(request),
    emoji: request.emoji ?? null,
    sound: request.sound ?? null,
    title: request.title ?? null,
    message: request.message ?? null,
    cooldownSeconds: request.cooldown ?? MAX_COOLDOWN_SECONDS,
    enabled: request.enabled ?? true,
    secretHash: hashSecret(deps.keyring, secret),
    secret: encryptSecret(deps.keyring, secret),
  });
  if (!webhook) {
    throw new DomainError('webhook_limit_reached', `a room has at most ${MAX_INCOMING_WEBHOOKS} incoming webhooks, one per quick action: delete one first`, {
      limit: MAX_INCOMING_WEBHOOKS,
    });
  }
  return view(deps, room.inviteCode, webhook);
}

/** At most four, so always one page (`next_cursor` null), in action order. */
export async function listIncomingWebhooks(deps: RoomDeps, accountId: string, code: string): Promise<{ data: IncomingWebhookView[]; next_cursor: null }> {
  const room = await ownedRoom(deps, accountId, code);
  return { data: (await deps.incomingWebhooks.list(room.id)).map((webhook) => view(deps, room.inviteCode, webhook)), next_cursor: null };
}

export async function ownedIncomingWebhook(deps: RoomDeps, accountId: string, code: string, id: string) {
  const room = await ownedRoom(deps, accountId, code);
  const webhook = await deps.incomingWebhooks.find(room.id, id);
  if (!webhook) throw notFoundError('webhook');
  return { room, webhook };
}

export async function getIncomingWebhook(deps: RoomDeps, accountId: string, code: string, id: string): Promise<IncomingWebhookView> {
  const { room, webhook } = await ownedIncomingWebhook(deps, accountId, code, id);
  return view(deps, room.inviteCode, webhook);
}

export async function updateIncomingWebhook(
  deps: RoomDeps,
  accountId: string,
  code: string,
  id: string,
  request: UpdateIncomingWebhookRequest,
): Promise<IncomingWebhookView> {
  const { room, webhook } = await ownedIncomingWebhook(deps, accountId, code, id);
  const updated = await deps.incomingWebhooks.update(room.id, id, {
    ...(request.name !== undefined ? { name: request.name } : {}),
    // Clearing the label falls back to the name, as at creation.
    ...(request.label !== undefined ? { label: labelOf({ label: request.label, name: request.name ?? webhook.name }) } : {}),
    ...(request.emoji !== undefined ? { emoji: request.emoji } : {}),
    ...(request.sound !== undefined ? { sound: request.sound } : {}),
    ...(request.title !== undefined ? { title: request.title } : {}),
    ...(request.message !== undefined ? { message: request.message } : {}),
    ...(request.cooldown !== undefined ? { cooldownSeconds: request.cooldown } : {}),
    ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
  });
  if (!updated) throw notFoundError('webhook');
  return view(deps, room.inviteCode, updated);
}

export async function deleteIncomingWebhook(deps: RoomDeps, accountId: string, code: string, id: string): Promise<void> {
  const room = await ownedRoom(deps, accountId, code);
  if (!(await deps.incomingWebhooks.delete(room.id, id))) throw notFoundError('webhook');
}
