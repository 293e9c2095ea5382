import { makeSendRequest, ResponseStoreRoutes, type Limits } from '@pingback/contracts';
import { jsonBody, notFound } from '@pingback/http';
import { messageIdBelongsTo } from '@pingback/security';
import { Router } from 'express';
import { channelForToken } from '../auth/channel-token';
import { sendNotification } from '../domain/send-notification';
import type { GatewayDeps } from '../gateway-deps';

/** Seed 000/001: send with the channel token in the path, and poll for the answer with it. */
export function sendRoutes(deps: GatewayDeps, limits: Limits): Router {
  const router = Router();
  const SendRequest = makeSendRequest(limits);

  router.post('/v1/send/:token', jsonBody(limits.sendBodyBytes, { maxDepth: limits.jsonDepth }), async (req, res) => {
    const channel = await channelForToken(deps, String(req.params.token));
    await deps.rateLimit('send', channel.id, deps.config.sendRatePerMinute);
    const request = SendRequest.parse(req.body ?? {});
    const id = await sendNotification(deps, channel, request, req.traceId);
    res.json({ ok: true, id });
  });

  router.get('/v1/callback/:token/:messageId', async (req, res) => {
    const channel = await channelForToken(deps, req.params.token);
    // An id this channel was never given is 404; one it was given polls `pending` until recorded.
    if (!messageIdBelongsTo(deps.keyring, req.params.messageId, channel.id)) throw notFound('message');
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

  return router;
}
