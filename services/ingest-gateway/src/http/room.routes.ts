import {
  AddMemberRequest,
  CreateIncomingWebhookRequest,
  CreateRoomRequest,
  ListQuery,
  RenameRoomRequest,
  RoomPingRequest,
  toPage,
  UpdateIncomingWebhookRequest,
  UpdateOutgoingWebhookRequest,
} from '@pingback/contracts';
import type { Response } from 'express';
import { accountOf } from '../auth/request-context';
import type { ApiKeyDeps } from '../auth/api-key';
import type { CredentialFailures } from '../cache/credential-failures';
import { pingByApi } from '../domain/rooms/api-ping';
import { testFire } from '../domain/rooms/fire-webhook';
import {
  createIncomingWebhook,
  deleteIncomingWebhook,
  getIncomingWebhook,
  listIncomingWebhooks,
  ownedIncomingWebhook,
  updateIncomingWebhook,
} from '../domain/rooms/incoming-webhooks';
import { getOutgoingWebhook, testOutgoingWebhook, updateOutgoingWebhook } from '../domain/rooms/outgoing-webhook';
import type { RoomDeps } from '../domain/rooms/room-deps';
import { addMember, createRoom, deleteRoom, listMembers, ownedRoom, removeMember, renameRoom, roomView } from '../domain/rooms/rooms';
import { roomManagementRouter } from './families';
import type { RouteFamily } from './route-family';

/** Fire URLs and signing secrets are credentials: never cached on the way (seed 004: "no-store"). */
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** Seed 004's management routes and ours around them: rooms, members, incoming and outgoing webhooks, pings by API. */
export function roomRoutes(deps: RoomDeps & ApiKeyDeps & { credentialFailures: CredentialFailures }): RouteFamily {
  const routes = roomManagementRouter(deps);

  routes.post('/api/rooms', async (req, res) => {
    const { name } = CreateRoomRequest.parse(req.body ?? {});
    res.status(201).json(await createRoom(deps, accountOf(req), name));
  });
  routes.get('/api/rooms', async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    const rooms = await deps.rooms.listOwned(accountOf(req), { limit: limit + 1, ...(cursor ? { after: cursor } : {}) });
    res.json(toPage(rooms, limit, roomView));
  });
  routes.get('/api/rooms/:code', async (req, res) => {
    res.json(roomView(await ownedRoom(deps, accountOf(req), req.params.code)));
  });
  for (const method of ['patch', 'put'] as const) {
    routes[method]('/api/rooms/:code', async (req, res) => {
      res.json(await renameRoom(deps, accountOf(req), req.params.code, RenameRoomRequest.parse(req.body ?? {}).name));
    });
  }
  routes.delete('/api/rooms/:code', async (req, res) => {
    await deleteRoom(deps, accountOf(req), req.params.code);
    res.status(204).end();
  });

  routes.get('/api/rooms/:code/members', async (req, res) => {
    res.json(await listMembers(deps, accountOf(req), req.params.code, ListQuery.parse(req.query)));
  });
  routes.post('/api/rooms/:code/members', async (req, res) => {
    const { channel_id } = AddMemberRequest.parse(req.body ?? {});
    const { member, added } = await addMember(deps, accountOf(req), req.params.code, channel_id);
    res.status(added ? 201 : 200).json(member);
  });
  routes.delete('/api/rooms/:code/members/:channelId', async (req, res) => {
    await removeMember(deps, accountOf(req), req.params.code, req.params.channelId);
    res.status(204).end();
  });

  routes.post('/api/rooms/:code/ping', async (req, res) => {
    const request = RoomPingRequest.parse(req.body ?? {});
    res.json(await pingByApi(deps, accountOf(req), req.params.code, request, req.traceId));
  });

  routes.get('/api/rooms/:code/webhooks', async (req, res) => {
    ListQuery.parse(req.query);
    noStore(res).json(await listIncomingWebhooks(deps, accountOf(req), req.params.code));
  });
  routes.post('/api/rooms/:code/webhooks', async (req, res) => {
    const request = CreateIncomingWebhookRequest.parse(req.body ?? {});
    noStore(res).status(201).json(await createIncomingWebhook(deps, accountOf(req), req.params.code, request));
  });
  routes.get('/api/rooms/:code/webhooks/:id', async (req, res) => {
    noStore(res).json(await getIncomingWebhook(deps, accountOf(req), req.params.code, req.params.id));
  });
  routes.put('/api/rooms/:code/webhooks/:id', async (req, res) => {
    const request = UpdateIncomingWebhookRequest.parse(req.body ?? {});
    noStore(res).json(await updateIncomingWebhook(deps, accountOf(req), req.params.code, req.params.id, request));
  });
  routes.delete('/api/rooms/:code/webhooks/:id', async (req, res) => {
    await deleteIncomingWebhook(deps, accountOf(req), req.params.code, req.params.id);
    res.status(204).end();
  });
  routes.post('/api/rooms/:code/webhooks/:id/test', async (req, res) => {
    const { room, webhook } = await ownedIncomingWebhook(deps, accountOf(req), req.params.code, req.params.id);
    const { _count: _counts, ...stored } = room;
    res.json(await testFire(deps, stored, webhook, req.traceId));
  });

  routes.get('/api/rooms/:code/outgoing-webhook', async (req, res) => {
    noStore(res).json(await getOutgoingWebhook(deps, accountOf(req), req.params.code, req.traceId));
  });
  routes.put('/api/rooms/:code/outgoing-webhook', async (req, res) => {
    const request = UpdateOutgoingWebhookRequest.parse(req.body ?? {});
    noStore(res).json(await updateOutgoingWebhook(deps, accountOf(req), req.params.code, request, req.traceId));
  });
  routes.post('/api/rooms/:code/outgoing-webhook/test', async (req, res) => {
    res.json(await testOutgoingWebhook(deps, accountOf(req), req.params.code, req.traceId));
  });

  return routes;
}
