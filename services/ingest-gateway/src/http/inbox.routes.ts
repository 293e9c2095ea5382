import { ResponseStoreRoutes, WebPushDestinationInput } from '@pingback/contracts';
import { AppError, jsonBody } from '@pingback/http';
import type { Request } from 'express';
import { z } from 'zod';
import { refuseCredential } from '../auth/refuse-credential';
import { addDestinations } from '../domain/channel-destinations';
import { parseInboxSubject } from '../domain/channel-view';
import type { GatewayDeps } from '../gateway-deps';
import { INBOX_REFRESH_SCRIPT, inboxPage } from '../pages/inbox-page';
import { sendPage } from '../pages/layout';
import { PUSH_SUBSCRIBE_SCRIPT, PUSH_WORKER_PATH, PUSH_WORKER_SCRIPT, pushSubscribeButton } from '../pages/push-subscribe';
import { inboxLinkRouter, publicRouter } from './families';
import type { RouteFamily } from './route-family';

const InboxQuery = z.object({ before: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a message id').optional() });

/**
 * The channel's web inbox (CONTRACT §5): a secret URL listing open messages, so a browser is enough to answer.
 * rotate-token revokes it along with the token; deleting the channel closes it.
 */
export function inboxRoutes(deps: GatewayDeps): RouteFamily {
  const routes = inboxLinkRouter(deps);

  /** The channel the inbox link names, while the link is still its current one. */
  const channelOfLink = async (req: Request) => {
    const subject = req.linkSubject ? parseInboxSubject(req.linkSubject) : null;
    const channel = subject ? await deps.channels.findById(subject.channelId) : null;
    return subject && channel && channel.inboxVersion === subject.inboxVersion ? channel : null;
  };

  /**
   * The inbox page (newest first, `?before=` for older pages), or the same list as JSON for the page's script: which
   * messages there are and their states, without their links.
   */
  routes.get('/inbox/:token', async (req, res) => {
    const channel = await channelOfLink(req);
    if (!channel) return refuseCredential(deps.credentialFailures, routes.name, req, new AppError('not_found', 'this link is not valid'));
    const { before } = InboxQuery.parse(req.query);
    const page = await deps.responseStore(ResponseStoreRoutes.inbox, { params: { id: channel.id }, ...(before ? { query: { before } } : {}), traceId: req.traceId });
    if (req.accepts(['html', 'json']) === 'json') {
      return void res.set('Cache-Control', 'no-store').json({ data: page.data.map(({ id, title, priority, state, created_at }) => ({ id, title, priority, state, created_at })), next_before: page.next_before });
    }
    const self = `/inbox/${encodeURIComponent(req.params.token)}`;
    const list = inboxPage(page, new Date(), (older) => `${self}?before=${encodeURIComponent(older)}`);
    // New messages appear by themselves on the first page only: an older page stays as it was opened.
    const scripts = [before ? '' : INBOX_REFRESH_SCRIPT, deps.vapidPublicKey ? PUSH_SUBSCRIBE_SCRIPT : ''].filter(Boolean).join('\n');
    const subscribe = deps.vapidPublicKey ? pushSubscribeButton(`${self}/push-subscriptions`, deps.vapidPublicKey) : '';
    sendPage(res, 200, 'Inbox', subscribe + list, scripts ? { script: scripts } : {});
  });

  /**
   * The button's subscription, as the browser's PushSubscription JSON: it becomes a web_push destination of the
   * channel. JSON only, so another site's form cannot post here; the endpoint passes the SSRF rules.
   */
  routes.post('/inbox/:token/push-subscriptions', jsonBody(8 * 1024), async (req, res) => {
    const channel = await channelOfLink(req);
    if (!channel) return refuseCredential(deps.credentialFailures, routes.name, req, new AppError('not_found', 'this link is not valid'));
    if (!deps.vapidPublicKey) throw new AppError('not_found', 'this deployment has no web push configured');
    const subscription = WebPushDestinationInput.shape.subscription.parse(req.body);
    const [added] = await addDestinations(deps, channel.accountId, channel.id, [{ type: 'web_push', subscription }], req.traceId);
    res.status(201).json(added);
  });
  return routes;
}

/** The service worker the inbox's button registers: it shows pushed notifications. Same origin, no secret. */
export function pushWorkerRoutes(): RouteFamily {
  return publicRouter().get(PUSH_WORKER_PATH, (_req, res) => {
    res.set({ 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(PUSH_WORKER_SCRIPT);
  });
}
