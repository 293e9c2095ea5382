import { ResponseStoreRoutes } from '@pingback/contracts';
import { verifySignedId } from '@pingback/security';
import { Router } from 'express';
import { parseInboxSubject } from '../domain/channel-view';
import type { GatewayDeps } from '../gateway-deps';
import { escapeHtml } from '../pages/escape-html';
import { inboxPage } from '../pages/inbox-page';
import { sendPage } from '../pages/layout';

/**
 * The channel's web inbox (CONTRACT §5): a secret URL listing open messages, so a browser is enough to answer.
 * rotate-token revokes it along with the token.
 */
export function inboxRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/inbox/:token', async (req, res) => {
    const signed = verifySignedId(deps.keyring, 'inbox-link', req.params.token);
    const subject = signed ? parseInboxSubject(signed) : null;
    const channel = subject ? await deps.channels.findById(subject.channelId) : null;
    if (!subject || !channel || channel.inboxVersion !== subject.inboxVersion) {
      return sendPage(res, 404, 'Pingback', `<p class="notice">${escapeHtml('This link is not valid.')}</p>`);
    }
    const body = await deps.responseStore(ResponseStoreRoutes.inbox, { params: { id: channel.id }, traceId: req.traceId });
    sendPage(res, 200, 'Inbox', inboxPage(body.data));
  });
  return router;
}
