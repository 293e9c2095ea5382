import {
  AddDestinationsRequest,
  CreateApiKeyRequest,
  CreateChannelRequest,
  DispatcherRoutes,
  ListQuery,
  MessageListQuery,
  toPage,
  ResponseStoreRoutes,
} from '@pingback/contracts';
import { AppError } from '@pingback/http';
import type { Response } from 'express';
import { accountOf } from '../auth/request-context';
import { createApiKey, listApiKeys, revokeApiKey } from '../domain/accounts';
import { addDestinations } from '../domain/channel-destinations';
import { channelViews, createChannel, deleteChannel, getChannel, rotateSigningSecret, rotateToken } from '../domain/channels';
import type { GatewayDeps } from '../gateway-deps';
import { accountRoutes } from './account.routes';
import { channelTestRoute } from './channel-test.routes';
import { deliverySettingsRoutes } from './delivery-settings.routes';
import { managementRouter } from './families';
import { assertOwnChannel } from './own-channel';
import type { RouteFamily } from './route-family';

/** Anything that shows a secret must not be cached anywhere on the way. */
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** Management API: `Authorization: Bearer <API key>`; another account's objects are 404. */
export function managementRoutes(deps: GatewayDeps): RouteFamily {
  const routes = managementRouter(deps);
  const ownChannel = (accountId: string, channelId: string) => assertOwnChannel(deps, routes, accountId, channelId);

  routes.post('/api/keys', async (req, res) => {
    const request = CreateApiKeyRequest.parse(req.body ?? {});
    noStore(res).status(201).json(await createApiKey(deps, accountOf(req), request.name ?? null));
  });

  routes.get('/api/keys', async (req, res) => {
    res.json(await listApiKeys(deps, accountOf(req), req.apiKeyId, ListQuery.parse(req.query)));
  });

  routes.delete('/api/keys/:id', async (req, res) => {
    const outcome = await revokeApiKey(deps, accountOf(req), req.params.id);
    if (outcome === 'not_found') throw routes.foreign('API key');
    if (outcome === 'last_key') throw new AppError('last_api_key', "this is the account's last active API key: create another one before revoking it");
    res.status(204).end();
  });

  routes.post('/api/channels', async (req, res) => {
    const request = CreateChannelRequest.parse(req.body ?? {});
    noStore(res).status(201).json(await createChannel(deps, accountOf(req), request));
  });

  routes.get('/api/channels', async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    const channels = await deps.channels.listOwned(accountOf(req), { limit: limit + 1, ...(cursor ? { after: cursor } : {}) });
    // Inbox URLs are credentials too.
    const page = toPage(channels, limit, (c) => c);
    noStore(res).json({ data: await channelViews(deps, accountOf(req), page.data), next_cursor: page.next_cursor });
  });

  routes.get('/api/channels/:id', async (req, res) => {
    noStore(res).json(await getChannel(deps, accountOf(req), req.params.id));
  });

  routes.delete('/api/channels/:id', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    // Close its open messages first: should the delete then fail, a retry finishes it, and no answer is taken
    // for a channel whose token is already gone.
    await deps.responseStore(ResponseStoreRoutes.expireOpenMessages, { params: { id: req.params.id }, traceId: req.traceId });
    if (!(await deleteChannel(deps, accountId, req.params.id))) throw routes.foreign('channel');
    res.status(204).end();
  });

  channelTestRoute(routes, deps);

  routes.post('/api/channels/:id/rotate-token', async (req, res) => {
    noStore(res).json(await rotateToken(deps, accountOf(req), req.params.id));
  });

  routes.post('/api/channels/:id/rotate-secret', async (req, res) => {
    noStore(res).json(await rotateSigningSecret(deps, accountOf(req), req.params.id));
  });

  routes.post('/api/channels/:id/destinations', async (req, res) => {
    const request = AddDestinationsRequest.parse(req.body ?? {});
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const many = 'destinations' in request;
    const added = await addDestinations(deps, accountId, req.params.id, many ? request.destinations : [request], req.traceId);
    res.status(201).json(many ? { data: added } : added[0]);
  });

  routes.get('/api/channels/:id/destinations', async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const query = { account_id: accountId, limit: String(limit), ...(cursor ? { cursor } : {}) };
    res.json(await deps.dispatcher(DispatcherRoutes.listDestinations, { params: { channelId: req.params.id }, query, traceId: req.traceId }));
  });

  routes.get('/api/channels/:id/destinations/:destId', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const call = { params: { channelId: req.params.id, id: req.params.destId }, query: { account_id: accountId }, traceId: req.traceId };
    res.json(await deps.dispatcher(DispatcherRoutes.getDestination, call));
  });

  routes.delete('/api/channels/:id/destinations/:destId', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const call = { params: { channelId: req.params.id, id: req.params.destId }, query: { account_id: accountId }, traceId: req.traceId };
    if ((await deps.dispatcher(DispatcherRoutes.deleteDestination, call)).deleted === 0) throw routes.foreign('destination');
    res.status(204).end();
  });

  routes.get('/api/messages', async (req, res) => {
    const { channel_id, limit, cursor } = MessageListQuery.parse(req.query);
    const accountId = accountOf(req);
    if (channel_id) await ownChannel(accountId, channel_id);
    const query = { account_id: accountId, limit: String(limit), ...(channel_id ? { channel_id } : {}), ...(cursor ? { cursor } : {}) };
    res.json(await deps.responseStore(ResponseStoreRoutes.listMessages, { query, traceId: req.traceId }));
  });

  routes.get('/api/messages/:id', async (req, res) => {
    const call = { params: { id: req.params.id }, traceId: req.traceId };
    const [dispatch, answer] = await Promise.all([
      deps.dispatcher(DispatcherRoutes.messageDeliveries, call),
      deps.responseStore(ResponseStoreRoutes.readMessage, call).catch(() => undefined),
    ]);
    if (dispatch.account_id !== accountOf(req)) throw routes.foreign('message');
    const { account_id: _account, ...message } = answer ?? {};
    // Respond links are credentials too.
    noStore(res).json({ ...message, id: req.params.id, channel_id: dispatch.channel_id, delivery_count: dispatch.delivery_count, deliveries: dispatch.deliveries });
  });

  deliverySettingsRoutes(routes, deps);
  accountRoutes(routes, deps);
  return routes;
}
