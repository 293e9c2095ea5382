import { DispatcherRoutes, DomainError, notFoundError, type CreateChannelRequest } from '@pingback/contracts';
import type { InternalClient } from '@pingback/http';
import { decryptSecret, encryptSecret, generateSecret, hashSecret, newId, type Keyring, type Resolver } from '@pingback/security';
import type { ChannelRepository } from '../data/channel.repository';
import type { ChangeAnnouncer } from '../messaging/change-announcer';
import { addDestinations, destinationsOf } from './channel-destinations';
import { channelView } from './channel-view';

export interface ChannelDeps {
  channels: ChannelRepository;
  /** notification-dispatcher: it owns destinations, so channel views ask it for theirs. */
  dispatcher: InternalClient;
  keyring: Keyring;
  publicUrl: string;
  allowPrivateTargets: boolean;
  resolver?: Resolver;
  secretOverlapMs: number;
  now: () => Date;
  /** Tells the processes that cache channels (gateways) and their signing secrets (deliverers) what changed. */
  changes: ChangeAnnouncer;
  /** Destinations per channel at most (PINGBACK_MAX_DESTINATIONS_PER_CHANNEL). */
  maxDestinations: number;
}

async function viewOf(deps: ChannelDeps, channel: Parameters<typeof channelView>[0]) {
  const destinations = await destinationsOf(deps, channel.accountId, [channel.id]);
  return channelView(channel, deps, destinations.get(channel.id)!);
}

/** A page of channels, each with its first destinations (one call to the dispatcher for the page). */
export async function channelViews(deps: ChannelDeps, accountId: string, channels: Parameters<typeof channelView>[0][]) {
  const destinations = await destinationsOf(deps, accountId, channels.map((c) => c.id));
  return channels.map((channel) => channelView(channel, deps, destinations.get(channel.id)!));
}

/**
 * A channel, and its destinations at the dispatcher. Should the dispatcher refuse them (an unsafe URL, a provider
 * not configured) or be unreachable, the channel is deleted again and the caller gets that answer: a channel is
 * created with all its destinations or not at all.
 */
export async function createChannel(deps: ChannelDeps, accountId: string, request: CreateChannelRequest) {
  if (request.destinations.length > deps.maxDestinations) {
    throw new DomainError('destination_limit_reached', `a channel has at most ${deps.maxDestinations} destinations: delete one first`, { limit: deps.maxDestinations });
  }
  const token = generateSecret('pbt_');
  const signingSecret = generateSecret('whsec_');
  const channel = await deps.channels.create({
    id: newId('ch_'),
    accountId,
    name: request.name,
    tokenHash: hashSecret(deps.keyring, token),
    signingSecret: encryptSecret(deps.keyring, signingSecret),
  });
  if (request.destinations.length === 0) return { ...channelView(channel, deps, { destinations: [], count: 0 }), token, signing_secret: signingSecret };
  try {
    await addDestinations(deps, accountId, channel.id, request.destinations);
  } catch (error) {
    await deps.channels.deleteOwned(accountId, channel.id);
    throw error;
  }
  return { ...(await viewOf(deps, channel)), token, signing_secret: signingSecret };
}

async function owned(deps: ChannelDeps, accountId: string, channelId: string) {
  const channel = await deps.channels.findOwned(accountId, channelId);
  if (!channel) throw notFoundError('channel');
  return channel;
}

export async function getChannel(deps: ChannelDeps, accountId: string, channelId: string) {
  const channel = await owned(deps, accountId, channelId);
  return { ...(await viewOf(deps, channel)), signing_secret: decryptSecret(deps.keyring, channel.signingSecret) };
}

/**
 * A new token at once; the old one stops working. Messages stay with the channel, so the new token polls them.
 * Rotations at once take turns (compare-and-swap on the current token): each returned token worked when it was
 * returned, and only the last one to finish still works.
 */
export async function rotateToken(deps: ChannelDeps, accountId: string, channelId: string) {
  const token = generateSecret('pbt_');
  const tokenHash = hashSecret(deps.keyring, token);
  for (;;) {
    const current = await owned(deps, accountId, channelId);
    if (await deps.channels.replaceToken(accountId, channelId, current.tokenHash, tokenHash)) {
      await deps.changes.channelChanged(channelId);
      return { ...(await viewOf(deps, await owned(deps, accountId, channelId))), token };
    }
  }
}

/** The new secret signs at once; the old one also signs for the overlap (24 h), as a second `v1,` entry. */
export async function rotateSigningSecret(deps: ChannelDeps, accountId: string, channelId: string) {
  const signingSecret = generateSecret('whsec_');
  // Two rotations at once: the one that loses re-reads and rotates again, so the secret it returns is the one
  // that signs, and the previous one it records is the one the other returned.
  for (;;) {
    const current = await owned(deps, accountId, channelId);
    const replaced = await deps.channels.replaceSigningSecret(channelId, current.signingSecret, {
      signingSecret: encryptSecret(deps.keyring, signingSecret),
      previousSigningSecret: current.signingSecret,
      previousSecretValidUntil: new Date(deps.now().getTime() + deps.secretOverlapMs),
    });
    if (replaced) {
      await Promise.all([deps.changes.channelChanged(channelId), deps.changes.signerChanged({ kind: 'channel', id: channelId })]);
      return { ...(await viewOf(deps, await owned(deps, accountId, channelId))), signing_secret: signingSecret };
    }
  }
}

/**
 * Deletes a channel with its destinations: its token and inbox URL stop working at once. Messages already sent
 * stay in the account's history (the caller has closed the open ones first); webhook POSTs still retrying fail,
 * because the channel's signing secret went with it.
 */
export async function deleteChannel(deps: ChannelDeps, accountId: string, channelId: string): Promise<boolean> {
  // Destinations first: should the channel's deletion then fail, a retry finishes it; the other way round, a
  // failure would leave destinations of a channel that no longer exists.
  await deps.dispatcher(DispatcherRoutes.forgetChannel, { params: { channelId }, query: { account_id: accountId } });
  const deleted = await deps.channels.deleteOwned(accountId, channelId);
  if (deleted) await Promise.all([deps.changes.channelChanged(channelId), deps.changes.signerChanged({ kind: 'channel', id: channelId })]);
  return deleted;
}
