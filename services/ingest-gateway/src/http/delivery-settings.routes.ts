import {
  ChannelEscalationRequest,
  CreateEventEndpointRequest,
  DelivererRoutes,
  DispatcherRoutes,
  escalationInputOf,
  OutgoingPostListQuery,
  toEscalationPolicy,
  type EscalationPolicy,
} from '@pingback/contracts';
import type { Response } from 'express';
import { accountOf } from '../auth/request-context';
import { assertRegisteredUrlSafe } from '../domain/channel-destinations';
import type { GatewayDeps } from '../gateway-deps';
import { assertOwnChannel } from './own-channel';
import type { RouteFamily } from './route-family';

/** Event endpoints per account at most. */
export const MAX_EVENT_ENDPOINTS = 5;

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/**
 * What the dispatcher and webhook-deliverer own about delivering, managed through the gateway: the account's event
 * endpoints (seed 003), switching a destination or an event endpoint back on, a channel's escalation policy, the
 * account's outgoing POSTs with their attempts, and re-sending one that failed.
 */
export function deliverySettingsRoutes(routes: RouteFamily, deps: GatewayDeps): void {
  const ownChannel = (accountId: string, channelId: string) => assertOwnChannel(deps, routes, accountId, channelId);
  const foreignIfNone = (what: string) => (reply: { deleted: number }) => {
    if (reply.deleted === 0) throw routes.foreign(what);
  };

  routes.post('/api/endpoints', async (req, res) => {
    const { url } = CreateEventEndpointRequest.parse(req.body ?? {});
    await assertRegisteredUrlSafe(deps, url);
    const body = { account_id: accountOf(req), url, max: MAX_EVENT_ENDPOINTS };
    noStore(res).status(201).json(await deps.dispatcher(DispatcherRoutes.createEndpoint, { body, traceId: req.traceId }));
  });
  routes.get('/api/endpoints', async (req, res) => {
    res.json(await deps.dispatcher(DispatcherRoutes.listEndpoints, { query: { account_id: accountOf(req) }, traceId: req.traceId }));
  });
  routes.get('/api/endpoints/:id', async (req, res) => {
    const call = { params: { id: req.params.id }, query: { account_id: accountOf(req) }, traceId: req.traceId };
    noStore(res).json(await deps.dispatcher(DispatcherRoutes.getEndpoint, call));
  });
  routes.delete('/api/endpoints/:id', async (req, res) => {
    const call = { params: { id: req.params.id }, query: { account_id: accountOf(req) }, traceId: req.traceId };
    foreignIfNone('endpoint')(await deps.dispatcher(DispatcherRoutes.deleteEndpoint, call));
    res.status(204).end();
  });
  // The deliverer's health first, then the dispatcher: a send in between is then skipped (still off here), never
  // refused by a deliverer that still counts the endpoint off, which would switch it off again.
  routes.post('/api/endpoints/:id/enable', async (req, res) => {
    const call = { params: { id: req.params.id }, body: { account_id: accountOf(req) }, traceId: req.traceId };
    await deps.deliverer(DelivererRoutes.enableEndpoint, { ...call, params: { kind: 'event_endpoint', id: req.params.id } });
    res.json(await deps.dispatcher(DispatcherRoutes.enableEndpoint, call));
  });
  routes.post('/api/channels/:id/destinations/:destId/enable', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const body = { account_id: accountId };
    await deps.deliverer(DelivererRoutes.enableEndpoint, { params: { kind: 'destination', id: req.params.destId }, body, traceId: req.traceId });
    res.json(await deps.dispatcher(DispatcherRoutes.enableDestination, { params: { channelId: req.params.id, id: req.params.destId }, body, traceId: req.traceId }));
  });
  routes.post('/api/endpoints/:id/rotate-secret', async (req, res) => {
    const call = { params: { id: req.params.id }, body: { account_id: accountOf(req) }, traceId: req.traceId };
    noStore(res).json(await deps.dispatcher(DispatcherRoutes.rotateEndpointSecret, call));
  });

  // As the send takes it (`"after": "2m"`), so what is read can be PUT back.
  const policyView = (reply: { channel_id: string; escalation: EscalationPolicy | null }) => ({
    channel_id: reply.channel_id,
    escalation: reply.escalation ? escalationInputOf(reply.escalation) : null,
  });

  routes.get('/api/channels/:id/escalation', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    res.json(policyView(await deps.dispatcher(DispatcherRoutes.getEscalation, { params: { channelId: req.params.id }, query: { account_id: accountId }, traceId: req.traceId })));
  });
  routes.put('/api/channels/:id/escalation', async (req, res) => {
    const { escalation } = ChannelEscalationRequest.parse(req.body ?? {});
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    const body = { account_id: accountId, escalation: toEscalationPolicy(escalation) };
    res.json(policyView(await deps.dispatcher(DispatcherRoutes.putEscalation, { params: { channelId: req.params.id }, body, traceId: req.traceId })));
  });
  routes.delete('/api/channels/:id/escalation', async (req, res) => {
    const accountId = accountOf(req);
    await ownChannel(accountId, req.params.id);
    await deps.dispatcher(DispatcherRoutes.deleteEscalation, { params: { channelId: req.params.id }, query: { account_id: accountId }, traceId: req.traceId });
    res.status(204).end();
  });

  // Every outgoing POST (answer callbacks, delivery events, webhook destinations, room webhooks) is
  // webhook-deliverer's record, with its attempts.
  routes.get('/api/deliveries', async (req, res) => {
    const { status, endpoint, limit, cursor } = OutgoingPostListQuery.parse(req.query);
    const query = { account_id: accountOf(req), limit: String(limit), ...(status ? { status } : {}), ...(endpoint ? { endpoint } : {}), ...(cursor ? { cursor } : {}) };
    res.json(await deps.deliverer(DelivererRoutes.listWebhooks, { query, traceId: req.traceId }));
  });
  routes.get('/api/deliveries/:id', async (req, res) => {
    const call = { params: { id: req.params.id }, query: { account_id: accountOf(req) }, traceId: req.traceId };
    res.json(await deps.deliverer(DelivererRoutes.getWebhook, call));
  });

  // A delivery (`dlv_…`, of any kind) is the dispatcher's to send again; any other outgoing POST (`cb_…`, `evt_…`)
  // the deliverer's.
  routes.post('/api/deliveries/:id/resend', async (req, res) => {
    const call = { params: { id: req.params.id }, body: { account_id: accountOf(req) }, traceId: req.traceId };
    const resent = req.params.id.startsWith('dlv_')
      ? await deps.dispatcher(DispatcherRoutes.resendDelivery, call)
      : await deps.deliverer(DelivererRoutes.resendWebhook, call);
    res.status(202).json(resent);
  });
}
