import { AccountSigningSecret } from '@pingback/contracts';
import { error, managed, ok } from './openapi-helpers';

/** The account's signing secret (`/api/account/…`) in the OpenAPI document. */
export function accountPaths(): Record<string, Record<string, unknown>> {
  return {
    '/api/account/signing-secret': {
      get: {
        ...managed,
        summary: "The account's signing secret: it signs what belongs to no channel (approval and replay events); made on first read (Cache-Control: no-store)",
        responses: { 200: ok(AccountSigningSecret), 401: error('unauthorized') },
      },
    },
    '/api/account/rotate-secret': {
      post: {
        ...managed,
        summary: "A new account signing secret; the old one also signs for 24 h, as a second v1, entry of webhook-signature",
        responses: { 200: ok(AccountSigningSecret, 'the new signing secret'), 401: error('unauthorized') },
      },
    },
  };
}
