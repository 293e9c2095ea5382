import { DomainError, notFoundError, type CreateChannelRequest, type DestinationInput } from '@pingback/contracts';
import {
  assertUrlSafe,
  decryptSecret,
  encryptSecret,
  generateSecret,
  hashSecret,
  newId,
  UnsafeUrlError,
  type Keyring,
  type Resolver,
} from '@pingback/security';
import type { ChannelRepository } from '../data/channel.repository';
import type { ChangeAnnouncer } from '../messaging/change-announcer';
import { channelView } from './channel-view';

export interface ChannelDeps {
  channels: ChannelRepository;
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

const destinationLimitReached = (limit: number) =>
  new DomainError('destination_limit_reached', `a channel has at most ${limit} destinations: delete one first`, { limit });

/** A registered URL is checked once, with DNS, when it is registered (CONTRACT §6). */
async function checkedDestination(deps: ChannelDeps, input: DestinationInput) {
  try {
    await assertUrlSafe(input.url, { allowPrivate: deps.allowPrivateTargets, ...(deps.resolver ? { resolver: deps.resolver } : {}) });
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new DomainError('unsafe_url', err.message, { reason: err.reason });
    throw err;
  }
  return { id: newId('dst_'), type: input.type, url: input.url };
}

export async function createChannel(deps: ChannelDeps, accountId: string, request: CreateChannelRequest) {
  // The body takes at most 20 (its schema); a deployment may allow fewer per channel.
  if (request.destinations.length > deps.maxDestinations) throw destinationLimitReached(deps.maxDestinations);
  const destinations = [];
  for (const input of request.destinations) destinations.push(await checkedDestination(deps, input));
  const token = generateSecret('pbt_');
  const signingSecret = generateSecret('whsec_');
  const channel = await deps.channels.create({
    id: newId('ch_'),
    accountId,
    name: request.name,
    tokenHash: hashSecret(deps.keyring, token),
    signingSecret: encryptSecret(deps.keyring, signingSecret),
    destinations,
  });
  return { ...channelView(channel, deps), token, signing_secret: signingSecret };
}

async function owned(deps: ChannelDeps, accountId: string, channelId: string) {
  const channel = await deps.channels.findOwned(accountId, channelId);
  if (!channel) throw notFoundError('channel');
  return channel;
}

export async function getChannel(deps: ChannelDeps, accountId: string, channelId: string) {
  const channel = await owned(deps, accountId, channelId);
  return { ...channelView(channel, deps), signing_secret: decryptSecret(deps.keyring, channel.signingSecret) };
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
      return { ...channelView(await owned(deps, accountId, channelId), deps), token };
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
      return { ...channelView(await owned(deps, accountId, channelId), deps), signing_secret: signingSecret };
    }
  }
}

export async function addDestination(deps: ChannelDeps, accountId: string, channelId: string, input: DestinationInput) {
  await owned(deps, accountId, channelId);
  const destination = await deps.channels.addDestination(accountId, channelId, await checkedDestination(deps, input), deps.maxDestinations);
  if (destination === 'not_found') throw notFoundError('channel');
  if (destination !== 'limit_reached') await deps.changes.channelChanged(channelId);
  if (destination === 'limit_reached') throw destinationLimitReached(deps.maxDestinations);
  return { id: destination.id, type: destination.type, url: destination.url };
}

/**
 * Deletes a channel with its destinations: its token and inbox URL stop working at once. Messages already sent
 * stay in the account's history (the caller has closed the open ones first); webhook POSTs still retrying fail,
 * because the channel's signing secret went with it.
 */
export async function deleteChannel(deps: ChannelDeps, accountId: string, channelId: string): Promise<boolean> {
  const deleted = await deps.channels.deleteOwned(accountId, channelId);
  if (deleted) await Promise.all([deps.changes.channelChanged(channelId), deps.changes.signerChanged({ kind: 'channel', id: channelId })]);
  return deleted;
}

/** Later sends skip the destination; deliveries to it already under way finish (they carry their URL). */
export async function deleteDestination(deps: ChannelDeps, accountId: string, channelId: string, destinationId: string): Promise<boolean> {
  const deleted = await deps.channels.deleteDestination(accountId, channelId, destinationId);
  if (deleted) await deps.changes.channelChanged(channelId);
  return deleted;
}
