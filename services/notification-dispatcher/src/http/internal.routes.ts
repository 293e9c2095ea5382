import { DispatcherRoutes, type MessageDeliveries } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import type { Keyring } from '@pingback/security';
import { Router } from 'express';
import type { DeliveryRepository } from '../data/delivery.repository';
import { respondUrl } from '../domain/respond-url';

/** GET /internal/messages/:id — the deliveries of one message, for the gateway's GET /api/messages/{id}. */
export function internalRoutes(deps: { repo: DeliveryRepository; keyring: Keyring; publicUrl: string }): Router {
  const router = Router();
  router.get(DispatcherRoutes.messageDeliveries.pattern, async (req, res) => {
    const message = await deps.repo.findMessage(req.params.id);
    if (!message) throw notFound('message');
    const reply: MessageDeliveries = {
      id: message.id,
      account_id: message.accountId,
      channel_id: message.channelId,
      deliveries: message.deliveries.map((d) => ({
        id: d.id,
        type: d.kind,
        destination_id: d.destinationId,
        url: d.url,
        status: d.status,
        attempts: d.attempts,
        last_error: d.lastError,
        delivered_at: d.deliveredAt?.toISOString() ?? null,
        respond_url: respondUrl(deps.publicUrl, deps.keyring, d.id),
      })),
    };
    res.json(reply);
  });
  return router;
}
