import { AnswerRequest, CreateAccountRequest, CreateChannelRequest, PollResponse, SendRequest, SendResponse } from '@pingback/contracts';
import { z } from 'zod';

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } } });
const error = (description: string) => ({ description });

/** The public API, generated from the same zod contracts the routes validate with. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Pingback', version: '1' },
    servers: [{ url: publicUrl }],
    paths: {
      '/v1/send/{token}': {
        post: {
          summary: 'Send a notification with optional actions',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(SendRequest),
          responses: { 200: ok(SendResponse), 400: error('invalid_json or validation_failed'), 401: error('unauthorized'), 413: error('payload_too_large'), 422: error('unsafe_url'), 429: error('rate_limited'), 503: error('service_unavailable') },
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
      '/r/{respondToken}': {
        get: { summary: 'The respond page (HTML)', responses: { 200: error('page'), 404: error('not_found'), 410: error('link_expired') } },
        post: {
          summary: 'Answer a message',
          requestBody: body(AnswerRequest),
          responses: { 201: error('answer accepted'), 400: error('validation_failed'), 409: error('already_responded'), 410: error('link_expired') },
        },
      },
      '/admin/accounts': { post: { summary: 'Create an account (admin key)', requestBody: body(CreateAccountRequest), responses: { 201: error('account with its first API key') } } },
      '/api/channels': { post: { summary: 'Create a channel', requestBody: body(CreateChannelRequest), responses: { 201: error('channel with token and signing secret'), 422: error('unsafe_url') } } },
    },
  };
}
