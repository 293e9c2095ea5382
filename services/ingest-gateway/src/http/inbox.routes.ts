import { verifySignedId } from '@pingback/security';
import { Router } from 'express';
import type { GatewayDeps } from '../gateway-deps';
import { escapeHtml } from '../pages/escape-html';
import { inboxPage, type InboxItem } from '../pages/inbox-page';
import { sendPage } from '../pages/layout';

/** The channel's web inbox (CONTRACT §5): a secret URL listing open messages, so a browser is enough to answer. */
export function inboxRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/inbox/:token', async (req, res) => {
    const channelId = verifySignedId(deps.keyring, 'inbox-link', req.params.token);
    if (!channelId) return sendPage(res, 404, 'Pingback', `<p class="notice">${escapeHtml('This link is not valid.')}</p>`);
    const { body } = await deps.responseStore<{ data: InboxItem[] }>('GET', `/internal/channels/${encodeURIComponent(channelId)}/inbox`, {
      traceId: req.traceId,
    });
    sendPage(res, 200, 'Inbox', inboxPage(body.data));
  });
  return router;
}
