import { notFound, validationFailed } from '@pingback/http';
import { Router } from 'express';
import { z } from 'zod';
import type { WebhookRepository } from '../data/webhook.repository';
import { toWebhookView } from './webhook-view';

const ByMessageQuery = z.object({ messageId: z.string().min(1) });

/** Internal reads of outgoing POSTs: one by its webhook-id, or every one made for a message. */
export function webhooksRoutes(repo: WebhookRepository): Router {
  const router = Router();

  router.get('/internal/webhooks/:id', async (req, res) => {
    const webhook = await repo.findWithAttempts(req.params.id);
    if (!webhook) throw notFound('webhook');
    res.json(toWebhookView(webhook));
  });

  router.get('/internal/webhooks', async (req, res) => {
    const query = ByMessageQuery.safeParse(req.query);
    if (!query.success) throw validationFailed(query.error);
    const webhooks = await repo.findByMessage(query.data.messageId);
    res.json({ data: webhooks.map(toWebhookView) });
  });

  return router;
}
