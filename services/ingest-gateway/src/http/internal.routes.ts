import { GatewayRoutes, type SignerSecrets } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import { Router } from 'express';
import type { ChannelRepository } from '../data/channel.repository';
import { currentSigningSecrets } from '../domain/signing-secrets';

/**
 * The gateway owns channels, so it answers webhook-deliverer's question "which secrets sign for this channel
 * now?" on its internal port. The secrets stay encrypted on the way.
 */
export function internalRoutes(deps: { channels: ChannelRepository; now: () => Date }): Router {
  const router = Router();
  router.get(GatewayRoutes.signerSecrets.pattern, async (req, res) => {
    const channel = req.params.kind === 'channel' ? await deps.channels.findById(req.params.id) : null;
    if (!channel) throw notFound('signer');
    const reply: SignerSecrets = { secrets: currentSigningSecrets(channel, deps.now()) };
    res.set('Cache-Control', 'no-store').json(reply);
  });
  return router;
}
