import { ResponseStoreRoutes } from '@pingback/contracts';
import { AppError } from '@pingback/http';
import { refuseCredential } from '../auth/refuse-credential';
import { parseInboxSubject } from '../domain/channel-view';
import type { GatewayDeps } from '../gateway-deps';
import { inboxPage } from '../pages/inbox-page';
import { sendPage } from '../pages/layout';
import { inboxLinkRouter } from './families';
import type { RouteFamily } from './route-family';

/**
 * The channel's web inbox (CONTRACT §5): a secret URL listing open messages, so a browser is enough to answer.
 * rotate-token revokes it along with the token; deleting the channel closes it.
 */
export function inboxRoutes(deps: GatewayDeps): RouteFamily {
  const routes = inboxLinkRouter(deps);
  routes.get('/inbox/:token', async (req, res) => {
    const subject = req.linkSubject ? parseInboxSubject(req.linkSubject) : null;
    const channel = subject ? await deps.channels.findById(subject.channelId) : null;
    if (!subject || !channel || channel.inboxVersion !== subject.inboxVersion) {
      return refuseCredential(deps.credentialFailures, routes.name, req, new AppError('not_found', 'this link is not valid'));
    }
    const body = await deps.responseStore(ResponseStoreRoutes.inbox, { params: { id: channel.id }, traceId: req.traceId });
    sendPage(res, 200, 'Inbox', inboxPage(body.data));
  });
  return routes;
}
