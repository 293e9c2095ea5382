import { notFound, validationFailed } from '@pingback/http';
import { Router } from 'express';
import { z } from 'zod';
import type { WebhookRepository } from '../data/webhook.repository';
import { toWebhookView } from './webhook-view';

/** Every POST about one owner: `?subjectKind=message&subjectId=msg_…`. */
const BySubjectQuery = z.object({ subjectKind: z.string().min(1), subjectId: z.string().min(1) });

/** Internal reads of outgoing POSTs: one by its webhook-id, or every one made about one subject. */
export function webhooksRoutes(repo: WebhookRepository): Router {
  const router = Router();

  router.get('/internal/webhooks/:id', async (req, res) => {
    const webhook = await repo.findWithAttempts(req.params.id);
    if (!webhook) throw notFound('webhook');
    res.json(toWebhookView(webhook));
  });

  router.get('/internal/webhooks', async (req, res) => {
    const query = BySubjectQuery.safeParse(req.query);
    if (!query.success) throw validationFailed(query.error);
    const webhooks = await repo.findBySubject({ kind: query.data.subjectKind, id: query.data.subjectId });
    res.json({ data: webhooks.map(toWebhookView) });
  });

  return router;
}
