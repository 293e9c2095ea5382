import {
  AddMemberRequest,
  CreateIncomingWebhookRequest,
  CreateRoomRequest,
  FireRequest,
  FireResponse,
  IncomingWebhookView,
  MAX_INCOMING_WEBHOOKS,
  MemberView,
  OutgoingWebhookView,
  pageOf,
  RenameRoomRequest,
  RoomPingRequest,
  RoomPingResponse,
  RoomView,
  TestDeliveryResult,
  UpdateIncomingWebhookRequest,
  UpdateOutgoingWebhookRequest,
} from '@pingback/contracts';
import { body, deleted, error, list, managed, ok, path } from './openapi-helpers';

const code = path('code', "the room's invite code");
const seed004Errors = { 401: error('unauthorized'), 404: error('not_found'), 422: error('validation_failed (seed 004: 422)') };

/** Seed 004's routes and ours around them, in the OpenAPI document. */
export function roomPaths() {
  const rename = { ...managed, summary: 'Rename a room', parameters: [code], requestBody: body(RenameRoomRequest), responses: { 200: ok(RoomView), ...seed004Errors } };
  const fire = {
    summary: "Fire a room (seed 004): the secret in the path is the credential; an empty POST or a GET fires the webhook's own action",
    parameters: [path('inviteCode'), path('secret', 'the whk_ secret'), { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'replays the first answer for 1 hour' }],
    responses: {
      200: ok(FireResponse),
      400: error('invalid_json'),
      403: error('invalid_secret or webhook_disabled'),
      404: error('room_not_found'),
      422: error('validation_failed'),
      429: error('cooldown_active (retry_after) or rate_limited (Retry-After): 60 calls a minute per room and secret'),
      503: error('service_unavailable'),
    },
  };
  return {
    '/api/rooms': {
      get: { ...managed, summary: "The account's rooms", parameters: list, responses: { 200: ok(pageOf(RoomView)) } },
      post: { ...managed, summary: 'Create a room with its invite code', requestBody: body(CreateRoomRequest), responses: { 201: ok(RoomView), 409: error('room_limit_reached'), ...seed004Errors } },
    },
    '/api/rooms/{code}': {
      get: { ...managed, summary: 'A room', parameters: [code], responses: { 200: ok(RoomView), 404: error('not_found') } },
      patch: rename,
      put: rename,
      delete: { ...managed, summary: 'Delete a room with its members, webhooks and pings; its fire URLs stop at once', parameters: [code], responses: deleted('room') },
    },
    '/api/rooms/{code}/members': {
      get: { ...managed, summary: "The room's member channels, by channel id", parameters: [code, ...list], responses: { 200: ok(pageOf(MemberView)), 404: error('not_found') } },
      post: {
        ...managed,
        summary: "Add one of the account's channels (201; 200 when it was a member already)",
        parameters: [code],
        requestBody: body(AddMemberRequest),
        responses: { 201: ok(MemberView), 409: error('member_limit_reached'), ...seed004Errors },
      },
    },
    '/api/rooms/{code}/members/{channelId}': { delete: { ...managed, summary: 'Remove a member', parameters: [code, path('channelId')], responses: deleted('member') } },
    '/api/rooms/{code}/ping': {
      post: {
        ...managed,
        summary: 'Ping the room by API (trigger_source manual or agent): every member channel gets an answerable message, and the outgoing webhook fires',
        parameters: [code],
        requestBody: body(RoomPingRequest),
        responses: { 200: ok(RoomPingResponse), ...seed004Errors, 503: error('service_unavailable') },
      },
    },
    '/api/rooms/{code}/webhooks': {
      get: { ...managed, summary: "The room's incoming webhooks (at most four: one page), each with its full webhook_url (no-store)", parameters: [code], responses: { 200: ok(pageOf(IncomingWebhookView)), 404: error('not_found') } },
      post: {
        ...managed,
        summary: `Create an incoming webhook on the next free action number (at most ${MAX_INCOMING_WEBHOOKS})`,
        parameters: [code],
        requestBody: body(CreateIncomingWebhookRequest),
        responses: { 201: ok(IncomingWebhookView), 409: error('webhook_limit_reached'), ...seed004Errors },
      },
    },
    '/api/rooms/{code}/webhooks/{id}': {
      get: { ...managed, summary: 'One incoming webhook (no-store)', parameters: [code, path('id')], responses: { 200: ok(IncomingWebhookView), 404: error('not_found') } },
      put: {
        ...managed,
        summary: 'Update label, title, message, emoji, sound, cooldown, enabled or name',
        parameters: [code, path('id')],
        requestBody: body(UpdateIncomingWebhookRequest),
        responses: { 200: ok(IncomingWebhookView), ...seed004Errors },
      },
      delete: { ...managed, summary: 'Delete an incoming webhook; its URL stops at once', parameters: [code, path('id')], responses: deleted('webhook') },
    },
    '/api/rooms/{code}/webhooks/{id}/test': {
      post: { ...managed, summary: "A test fire (trigger_source test): the webhook's own action, no cooldown", parameters: [code, path('id')], responses: { 200: ok(FireResponse), 404: error('not_found') } },
    },
    '/api/rooms/{code}/outgoing-webhook': {
      get: { ...managed, summary: "The room's outgoing webhook with its signing secret and health (no-store)", parameters: [code], responses: { 200: ok(OutgoingWebhookView), 404: error('not_found') } },
      put: {
        ...managed,
        summary: 'Set url / enabled; regenerate_secret rotates the signing secret (the old one signs beside it for 24 h). Switching it on clears its failure count',
        parameters: [code],
        requestBody: body(UpdateOutgoingWebhookRequest),
        responses: { 200: ok(OutgoingWebhookView), ...seed004Errors, 422: error('unsafe_url or validation_failed') },
      },
    },
    '/api/rooms/{code}/outgoing-webhook/test': {
      post: { ...managed, summary: 'A synchronous, signed test delivery to the configured URL', parameters: [code], responses: { 200: ok(TestDeliveryResult), ...seed004Errors } },
    },
    '/api/webhooks/{inviteCode}/{secret}': { get: fire, post: { ...fire, requestBody: { ...body(FireRequest), required: false } } },
  };
}
