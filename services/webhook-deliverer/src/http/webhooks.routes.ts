import { DelivererRoutes, InternalOutgoingPostListQuery, toPage } from '@pingback/contracts';
import { jsonBody, notFound, validationFailed, validationFailedFields } from '@pingback/http';
import { Router } from 'express';
import { z } from 'zod';
import type { WebhookRepository } from '../data/webhook.repository';
import { resendWebhook, type ResendWebhookDeps } from '../domain/resend-webhook';
import { AccountQuery } from './account-query';
import { toOutgoingPostView, toWebhookView } from './webhook-view';

/** Every POST about one owner: `?subjectKind=message&subjectId=msg_…`. */
const BySubjectQuery = z.object({ subjectKind: z.string().min(1), subjectId: z.string().min(1) });

/**
 * Internal reads of outgoing POSTs: one by its webhook-id, every one made about one subject, or an account's, a
 * page of them (`?account_id=`, optionally `&endpoint=`) or one by id, with their attempts, for the gateway's
 * GET /api/deliveries; and re-sending one that failed.
 */
export function webhooksRoutes(deps: { repo: WebhookRepository } & ResendWebhookDeps): Router {
  const { repo } = deps;
  const router = Router();

  router.get('/internal/webhooks/:id', async (req, res) => {
    const webhook = await repo.findWithAttempts(req.params.id);
    if (!webhook) throw notFound('webhook');
    res.json(toWebhookView(webhook));
  });

  router.get(DelivererRoutes.listWebhooks.pattern, async (req, res) => {
    if (req.query.account_id === undefined) {
      const query = BySubjectQuery.safeParse(req.query);
      if (!query.success) throw validationFailed(query.error);
      const webhooks = await repo.findBySubject({ kind: query.data.subjectKind, id: query.data.subjectId });
      res.json({ data: webhooks.map(toWebhookView) });
      return;
    }
    const query = InternalOutgoingPostListQuery.parse(req.query);
    const rows = await repo.listForAccount({
      accountId: query.account_id,
      limit: query.limit + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(query.endpoint ? { endpointId: query.endpoint } : {}),
      ...(query.cursor ? { before: query.cursor } : {}),
    });
    if (!rows) throw validationFailedFields([{ path: 'cursor', message: 'the next_cursor of a previous page' }]);
    res.json(toPage(rows, query.limit, toOutgoingPostView));
  });

  router.get(DelivererRoutes.getWebhook.pattern, async (req, res) => {
    const { account_id: accountId } = AccountQuery.parse(req.query);
    const webhook = await repo.findForAccount(accountId, String(req.params.id));
    if (!webhook) throw notFound('delivery');
    res.json(toOutgoingPostView(webhook));
  });

  router.post(DelivererRoutes.resendWebhook.pattern, jsonBody(16 * 1024), async (req, res) => {
    const { account_id: accountId } = AccountQuery.parse(req.body);
    res.json(await resendWebhook(deps, { accountId, webhookId: String(req.params.id), traceId: req.traceId }));
  });

  return router;
}
