import { makeSendRequest, ResponseStoreRoutes, type Limits } from '@pingback/contracts';
import { jsonBody } from '@pingback/http';
import { messageIdBelongsTo } from '@pingback/security';
import { channelOf } from '../auth/request-context';
import { sendNotification } from '../domain/send-notification';
import type { GatewayDeps } from '../gateway-deps';
import { channelTokenRouter } from './families';
import type { RouteFamily } from './route-family';

/** Seed 000/001: send with the channel token in the path, and poll for the answer with it. */
export function sendRoutes(deps: GatewayDeps, limits: Limits): RouteFamily {
  const routes = channelTokenRouter(deps);
  const SendRequest = makeSendRequest(limits);

  routes.post('/v1/send/:token', jsonBody(limits.sendBodyBytes, { maxDepth: limits.jsonDepth }), async (req, res) => {
    const channel = channelOf(req);
    await deps.rateLimit('send', channel.id, deps.config.sendRatePerMinute);
    const request = SendRequest.parse(req.body ?? {});
    const id = await sendNotification(deps, channel, request, req.traceId);
    res.json({ ok: true, id });
  });

  // Not HEAD: a poll can hand out the answer, and a HEAD would hand it out with no body to carry it.
  routes.getWithoutHead('/v1/callback/:token/:messageId', async (req, res) => {
    const channel = channelOf(req);
    // An id this channel was never given is 404; one it was given polls `pending` until recorded.
    if (!messageIdBelongsTo(deps.keyring, req.params.messageId, channel.id)) throw routes.foreign('message');
    await deps.rateLimit('poll', channel.id, deps.config.pollRatePerMinute);
    // A poll may hand out the answer (once): wait for response-store rather than abandon an answer it already gave.
    const body = await deps.responseStore(ResponseStoreRoutes.poll, {
      params: { id: req.params.messageId },
      query: { channel: channel.id },
      traceId: req.traceId,
      timeoutMs: 10_000,
    });
    res.set('Cache-Control', 'no-store').json(body);
  });

  return routes;
}
