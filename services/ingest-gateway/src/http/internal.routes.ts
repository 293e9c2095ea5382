import { GatewayRoutes, type OwnedChannels, type SignerSecrets } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import { Router } from 'express';
import type { ChannelRepository } from '../data/channel.repository';
import type { RoomRepository } from '../data/room.repository';
import { ACCOUNT_SIGNER_KIND, accountSigningSecrets, type AccountSecretDeps } from '../domain/account-signing-secret';
import { currentSigningSecrets, type ChannelSecrets } from '../domain/signing-secrets';

/**
 * The gateway owns channels, rooms and accounts, so it answers webhook-deliverer's question "which secrets sign
 * for this channel (room's outgoing webhook, account) now?" on its internal port; an account's secret is made on
 * first need. The secrets stay encrypted on the way. And workflow-tracker's "are these channels the account's?"
 * when a workflow or monitor names its alert channels.
 */
export function internalRoutes(deps: { channels: ChannelRepository; rooms: RoomRepository; now: () => Date } & AccountSecretDeps): Router {
  const router = Router();
  const secretsOf = async (kind: string, id: string): Promise<ChannelSecrets | null> => {
    if (kind === 'channel') return deps.channels.findById(id);
    if (kind === ACCOUNT_SIGNER_KIND) return accountSigningSecrets(deps, id);
    if (kind !== 'room') return null;
    const room = await deps.rooms.findById(id);
    if (!room?.outgoingSecret) return null;
    return { signingSecret: room.outgoingSecret, previousSigningSecret: room.previousOutgoingSecret, previousSecretValidUntil: room.previousOutgoingSecretValidUntil };
  };
  router.get(GatewayRoutes.signerSecrets.pattern, async (req, res) => {
    const signer = await secretsOf(req.params.kind, req.params.id);
    if (!signer) throw notFound('signer');
    const reply: SignerSecrets = { secrets: currentSigningSecrets(signer, deps.now()) };
    res.set('Cache-Control', 'no-store').json(reply);
  });
  router.get(GatewayRoutes.ownedChannels.pattern, async (req, res) => {
    const ids = typeof req.query.ids === 'string' && req.query.ids !== '' ? req.query.ids.split(',').slice(0, 100) : [];
    const reply: OwnedChannels = { owned: ids.length === 0 ? [] : await deps.channels.ownedIds(req.params.accountId, ids) };
    res.json(reply);
  });
  return router;
}
