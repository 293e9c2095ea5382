import {
  AccountCreated,
  AnswerAccepted,
  AnswerRequest,
  ApiKeyCreated,
  ApiKeyList,
  ChannelCreated,
  ChannelEscalationPolicy,
  ChannelEscalationRequest,
  ChannelView,
  ChannelWithSecret,
  ChannelWithToken,
  pageOf,
  CreateAccountRequest,
  CreateApiKeyRequest,
  CreateChannelRequest,
  CreateEventEndpointRequest,
  AddDestinationsRequest,
  Destination,
  EventEndpointList,
  EventEndpointView,
  InboxSummary,
  MessageDetail,
  MessageList,
  OpenApiDocument,
  OutgoingPostList,
  OutgoingPostStatus,
  OutgoingPostView,
  PollResponse,
  ResendAccepted,
  SendRequest,
  SendResponse,
  TelegramUpdate,
  TelegramAcknowledged,
  WebPushDestinationInput,
} from '@pingback/contracts';
import { z } from 'zod';
import { MAX_EVENT_ENDPOINTS } from './delivery-settings.routes';
import { body, bodyOrForm, deleted, error, list, managed, ok, okOrPage, page, path, query } from './openapi-helpers';
import { roomPaths } from './openapi-rooms';
import { accountPaths } from './openapi-account';
import { approvalPaths } from './openapi-approvals';
import { dashboardPaths } from './openapi-dashboard';
import { taggedByArea } from './openapi-tags';
import { trackerPaths } from './openapi-tracker';

/** The public API, generated from the same zod contracts the routes validate with. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Pingback', version: '1' },
    servers: [{ url: publicUrl }],
    ...taggedByArea({
      '/v1/send/{token}': {
        post: {
          summary: 'Send a notification with optional actions',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(SendRequest),
          responses: { 200: ok(SendResponse), 400: error('invalid_json or validation_failed'), 401: error('unauthorized'), 405: error('method_not_allowed (with Allow)'), 413: error('payload_too_large'), 422: error('unsafe_url'), 429: error('rate_limited (sends, or failed credentials)'), 503: error('service_unavailable') },
        },
      },
      '/v1/callback/{token}/{messageId}': {
        get: {
          summary: 'Poll for the answer (read once)',
          parameters: [
            { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'messageId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { 200: ok(PollResponse), 401: error('unauthorized'), 404: error('not_found'), 429: error('rate_limited') },
        },
      },
      '/r/{token}': {
        parameters: [path('token', 'the respond link')],
        get: { summary: 'The respond page (HTML)', responses: { 200: page(), 404: error('not_found'), 410: error('link_expired') } },
        post: {
          summary: "Answer a message: JSON gets JSON; the page's form (`triggered_by`, `responses.<key>` fields) gets a page",
          requestBody: bodyOrForm(AnswerRequest),
          responses: { 201: okOrPage(AnswerAccepted, 'answer accepted'), 400: error('validation_failed'), 409: error('already_responded'), 410: error('link_expired') },
        },
      },
      '/inbox/{token}': {
        get: {
          summary: "The channel's web inbox (HTML), newest first; rotate-token replaces its URL. Asked for JSON (Accept), the page's list without its links",
          parameters: [path('token', 'the inbox link'), query('before', 'a message id: the page of messages older than it')],
          responses: { 200: okOrPage(InboxSummary, 'the page, or its list as JSON'), 404: error('page: not valid'), 429: error('page: rate_limited') },
        },
      },
      '/inbox/{token}/push-subscriptions': {
        post: {
          summary: "The inbox page's \"Notify me on this device\" button: a browser's PushSubscription JSON becomes a web_push destination of the channel",
          parameters: [path('token', 'the inbox link')],
          requestBody: body(WebPushDestinationInput.shape.subscription),
          responses: { 201: ok(Destination), 400: error('validation_failed'), 404: error('not_found'), 422: error('unsafe_url') },
        },
      },
      '/openapi.json': { get: { summary: 'This document (OpenAPI 3)', responses: { 200: ok(OpenApiDocument, 'the document') } } },
      '/docs': { get: { summary: 'This document, rendered (Swagger UI, served by the gateway itself: nothing is loaded from elsewhere)', responses: { 200: page() } } },
      '/push-worker.js': {
        get: { summary: 'The service worker the inbox page registers for web push (JavaScript)', responses: { 200: { description: 'the script', content: { 'application/javascript': { schema: { type: 'string' } } } } } },
      },
      '/admin/accounts': {
        post: { summary: 'Create an account (admin key as Bearer)', security: [{ adminKey: [] }], requestBody: body(CreateAccountRequest), responses: { 201: ok(AccountCreated, 'the account with its first API key, shown once'), 401: error('unauthorized') } },
      },
      '/api/keys': {
        get: { ...managed, summary: "The account's active API keys (never the keys: a hint of their last characters)", parameters: list, responses: { 200: ok(ApiKeyList) } },
        post: { ...managed, summary: 'Another API key, shown once', requestBody: body(CreateApiKeyRequest), responses: { 201: ok(ApiKeyCreated, 'the key, shown once') } },
      },
      '/api/keys/{id}': {
        delete: { ...managed, summary: 'Revoke a key at once; the last active key cannot be revoked', parameters: [path('id')], responses: { ...deleted('key revoked'), 409: error('last_api_key') } },
      },
      '/api/channels': {
        get: { ...managed, summary: "The account's channels", parameters: list, responses: { 200: ok(pageOf(ChannelView)) } },
        post: { ...managed, summary: 'Create a channel', requestBody: body(CreateChannelRequest), responses: { 201: ok(ChannelCreated, 'the channel with its token and signing secret'), 422: error('unsafe_url') } },
      },
      '/api/channels/{id}': {
        get: { ...managed, summary: 'A channel with its signing secret', parameters: [path('id')], responses: { 200: ok(ChannelWithSecret), 404: error('not_found') } },
        delete: {
          ...managed,
          summary: 'Delete a channel: its token and inbox URL stop at once; its open messages close (410 on their links) and stay listed',
          parameters: [path('id')],
          responses: deleted('channel'),
        },
      },
      '/api/channels/{id}/rotate-token': { post: { ...managed, summary: 'A new token and a new inbox URL; the old ones stop at once', parameters: [path('id')], responses: { 200: ok(ChannelWithToken, 'the channel with its new token and inbox URL') } } },
      '/api/channels/{id}/rotate-secret': { post: { ...managed, summary: 'A new signing secret; the old one also signs for 24 h', parameters: [path('id')], responses: { 200: ok(ChannelWithSecret, 'the channel with its new signing secret') } } },
      '/api/channels/{id}/destinations': {
        get: { ...managed, summary: "The channel's destinations, by id", parameters: [path('id'), ...list], responses: { 200: ok(pageOf(Destination)), 404: error('not_found') } },
        post: {
          ...managed,
          summary: 'Add a destination of any kind (webhook, slack, discord, email, apns, telegram, pagerduty, web_push), or `{"destinations": [...]}` (up to 1,000, all or none); at most PINGBACK_MAX_DESTINATIONS_PER_CHANNEL (10,000) per channel',
          parameters: [path('id')],
          requestBody: body(AddDestinationsRequest),
          responses: { 201: ok(z.union([Destination, z.object({ data: z.array(Destination) })]), 'the destination, or {"data": [...]} for several'), 409: error('destination_limit_reached'), 422: error('unsafe_url or provider_not_configured') },
        },
      },
      '/api/channels/{id}/destinations/{destId}': {
        get: { ...managed, summary: 'One destination (secrets shown by their last four characters)', parameters: [path('id'), path('destId')], responses: { 200: ok(Destination), 404: error('not_found') } },
        delete: { ...managed, summary: 'Remove a destination; later sends skip it', parameters: [path('id'), path('destId')], responses: deleted('destination') },
      },
      '/api/channels/{id}/destinations/{destId}/enable': {
        post: {
          ...managed,
          summary: 'Switch a destination back on after it was switched off (a 410, 15 failed attempts in a row, or its provider said gone); its failure count starts again',
          parameters: [path('id'), path('destId')],
          responses: { 200: ok(Destination), 404: error('not_found') },
        },
      },
      '/api/channels/{id}/escalation': {
        get: { ...managed, summary: "The channel's escalation policy (null when it has none)", parameters: [path('id')], responses: { 200: ok(ChannelEscalationPolicy), 404: error('not_found') } },
        put: { ...managed, summary: 'Set the escalation policy of sends that carry none', parameters: [path('id')], requestBody: body(ChannelEscalationRequest), responses: { 200: ok(ChannelEscalationPolicy), 400: error('validation_failed'), 404: error('not_found') } },
        delete: { ...managed, summary: 'Remove the escalation policy', parameters: [path('id')], responses: deleted('policy') },
      },
      '/api/endpoints': {
        get: { ...managed, summary: "The account's event endpoints (seed 003's delivery events go to each)", responses: { 200: ok(EventEndpointList) } },
        post: { ...managed, summary: `Register an event endpoint, with its own whsec_ signing secret (at most ${MAX_EVENT_ENDPOINTS})`, requestBody: body(CreateEventEndpointRequest), responses: { 201: ok(EventEndpointView, 'the endpoint with its signing secret'), 409: error('endpoint_limit_reached'), 422: error('unsafe_url') } },
      },
      '/api/endpoints/{id}': {
        get: { ...managed, summary: 'An event endpoint with its signing secret', parameters: [path('id')], responses: { 200: ok(EventEndpointView), 404: error('not_found') } },
        delete: { ...managed, summary: 'Remove an event endpoint', parameters: [path('id')], responses: deleted('endpoint') },
      },
      '/api/endpoints/{id}/enable': { post: { ...managed, summary: 'Send events to an endpoint again after it answered 410 Gone (which disables it)', parameters: [path('id')], responses: { 200: ok(EventEndpointView), 404: error('not_found') } } },
      '/api/endpoints/{id}/rotate-secret': { post: { ...managed, summary: 'A new signing secret; the old one also signs for 24 h', parameters: [path('id')], responses: { 200: ok(EventEndpointView, 'the endpoint with its new signing secret'), 404: error('not_found') } } },
      '/api/deliveries': {
        get: {
          ...managed,
          summary: "The account's outgoing POSTs (answer callbacks cb_…, delivery events evt_…, webhook destinations dlv_…), newest first",
          parameters: [query('status', OutgoingPostStatus.options.join(' | ')), query('endpoint', "only the POSTs to this endpoint (dst_…, ep_…, a room's id)"), ...list],
          responses: { 200: ok(OutgoingPostList), 400: error('validation_failed') },
        },
      },
      '/api/deliveries/{id}': {
        get: {
          ...managed,
          summary: 'One outgoing POST with its attempts (status code, latency, the first 1,024 characters of the answer, error)',
          parameters: [path('id')],
          responses: { 200: ok(OutgoingPostView), 404: error('not_found') },
        },
      },
      '/api/deliveries/{id}/resend': {
        post: {
          ...managed,
          summary: 'Send a failed delivery (dlv_…, or bounced) or a failed outgoing POST (cb_…, evt_…) again, as a new round of attempts with the same webhook-id',
          parameters: [path('id')],
          responses: { 202: ok(ResendAccepted, 'a new round of attempts is under way'), 404: error('not_found'), 409: error('not_resendable or endpoint_disabled') },
        },
      },
      '/v1/telegram/{secret}': {
        post: { summary: "Telegram's Bot API posts button presses here (setWebhook with PINGBACK_TELEGRAM_WEBHOOK_SECRET); a press answers the message", parameters: [path('secret', 'PINGBACK_TELEGRAM_WEBHOOK_SECRET')], requestBody: body(TelegramUpdate), responses: { 200: ok(TelegramAcknowledged), 404: error('not_found') } },
      },
      '/api/messages': {
        get: {
          ...managed,
          summary: "The account's messages, newest first",
          parameters: [query('channel_id', "only this channel's messages"), ...list],
          responses: { 200: ok(MessageList), 404: error('not_found (channel_id)') },
        },
      },
      '/api/messages/{id}': { get: { ...managed, summary: 'A message: deliveries with their respond links, attempts and the answer', parameters: [path('id')], responses: { 200: ok(MessageDetail), 404: error('not_found') } } },
      ...roomPaths(),
      ...accountPaths(),
      ...trackerPaths(),
      ...approvalPaths(),
      ...dashboardPaths(),
    }),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (pbk_…)' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'PINGBACK_ADMIN_KEY' },
        keyQuery: { type: 'apiKey', in: 'query', name: 'key', description: "Seed 002's routes: the API key as ?key= (or \"key\" in the JSON body)" },
        accessTokenCookie: { type: 'apiKey', in: 'cookie', name: 'access_token', description: "Seed 002's routes: the API key as the access_token cookie" },
      },
    },
  };
}
