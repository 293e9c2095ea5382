import { CreateApiKeyRequest, CreateChannelRequest, DestinationInput, DispatcherRoutes, ResponseStoreRoutes } from '@pingback/contracts';
import { jsonBody, notFound } from '@pingback/http';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { accountOf, apiKeyAuth } from '../auth/api-key-auth';
import { createApiKey } from '../domain/accounts';
import { channelView } from '../domain/channel-view';
import { addDestination, createChannel, getChannel, rotateSigningSecret, rotateToken } from '../domain/channels';
import type { GatewayDeps } from '../gateway-deps';

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().optional() });

/** Anything that shows a secret must not be cached anywhere on the way. */
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** Management API: `Authorization: Bearer <API key>`; another account's objects are 404. */
export function managementRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.use('/api', apiKeyAuth(deps), jsonBody(64 * 1024));

  router.post('/api/keys', async (req, res) => {
    const request = CreateApiKeyRequest.parse(req.body ?? {});
    noStore(res).status(201).json(await createApiKey(deps, accountOf(req), request.name ?? null));
  });

  router.post('/api/channels', async (req, res) => {
    const request = CreateChannelRequest.parse(req.body ?? {});
    noStore(res).status(201).json(await createChannel(deps, accountOf(req), request));
  });

  router.get('/api/channels', async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    const channels = await deps.channels.listOwned(accountOf(req), { limit: limit + 1, ...(cursor ? { after: cursor } : {}) });
    const page = channels.slice(0, limit);
    // Inbox URLs are credentials too.
    noStore(res).json({ data: page.map((c) => channelView(c, deps)), next_cursor: channels.length > limit ? page.at(-1)!.id : null });
  });

  router.get('/api/channels/:id', async (req, res) => {
    noStore(res).json(await getChannel(deps, accountOf(req), req.params.id));
  });

  router.post('/api/channels/:id/rotate-token', async (req, res) => {
    noStore(res).json(await rotateToken(deps, accountOf(req), req.params.id));
  });

  router.post('/api/channels/:id/rotate-secret', async (req, res) => {
    noStore(res).json(await rotateSigningSecret(deps, accountOf(req), req.params.id));
  });

  router.post('/api/channels/:id/destinations', async (req, res) => {
    const input = DestinationInput.parse(req.body ?? {});
    res.status(201).json(await addDestination(deps, accountOf(req), req.params.id, input));
  });

  router.get('/api/messages/:id', async (req, res) => {
    const call = { params: { id: req.params.id }, traceId: req.traceId };
    const [dispatch, answer] = await Promise.all([
      deps.dispatcher(DispatcherRoutes.messageDeliveries, call),
      deps.responseStore(ResponseStoreRoutes.readMessage, call).catch(() => undefined),
    ]);
    if (dispatch.account_id !== accountOf(req)) throw notFound('message');
    const { account_id: _account, ...message } = answer ?? {};
    // Respond links are credentials too.
    noStore(res).json({ ...message, id: req.params.id, channel_id: dispatch.channel_id, deliveries: dispatch.deliveries });
  });

  return router;
}
