import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import { findApiKey, type ApiKeyDeps } from './api-key';
import { authorizationOf } from './bearer';
import { malformedCredential, missingCredential, unknownCredential } from './credential-errors';
import { refuseCredential } from './refuse-credential';
import { seed002Query } from './seed-002-query';
import './request-context';

type Presented = { kind: 'none' } | { kind: 'malformed'; message: string } | { kind: 'key'; key: string; fromBody: boolean; fromHeader?: true };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Seed 002's four places for the API key, first found wins: `Authorization: Bearer`, `?key=` (up to a `?` in
 * it, see seed002Query), a `"key"` field of a JSON body, the `access_token` cookie. An explicit key beats the cookie a browser sends on its own.
 */
function presentedKey(req: Request): Presented {
  const authorization = authorizationOf(req);
  if (authorization.kind === 'bearer') return { kind: 'key', key: authorization.token, fromBody: false, fromHeader: true };
  if (authorization.kind === 'malformed') return { kind: 'malformed', message: 'malformed Authorization header: expected "Bearer <API key>"' };
  const query = seed002Query(req).key;
  if (query !== undefined) return typeof query === 'string' && query !== '' ? { kind: 'key', key: query, fromBody: false } : { kind: 'malformed', message: 'pass one API key as ?key=' };
  const body: unknown = req.body;
  if (isObject(body) && body.key !== undefined) {
    return typeof body.key === 'string' && body.key !== '' ? { kind: 'key', key: body.key, fromBody: true } : { kind: 'malformed', message: 'the "key" field must be the API key, a string' };
  }
  const cookie = parseCookies(req.get('cookie') ?? '').access_token;
  return cookie ? { kind: 'key', key: cookie, fromBody: false } : { kind: 'none' };
}

/** Seed 002's routes (/shk, /dhk, /phk, /hbk, /hhk, /api/workflows…): sets req.accountId and req.apiKeyId. */
export function seed002Auth(deps: ApiKeyDeps & { credentialFailures: CredentialFailures }): RequestHandler {
  return async (req, _res, next) => {
    const presented = presentedKey(req);
    if (presented.kind === 'none') {
      throw missingCredential('missing API key: pass ?key=, a "key" field in the JSON body, "Authorization: Bearer <API key>" or an access_token cookie');
    }
    if (presented.kind === 'malformed') return refuseCredential(deps.credentialFailures, 'seed-002', req, malformedCredential(presented.message));
    const key = await findApiKey(deps, presented.key, req, presented.fromHeader ? 'header' : 'elsewhere');
    if (!key) return refuseCredential(deps.credentialFailures, 'seed-002', req, unknownCredential('unknown or revoked API key'));
    // The credential is not part of what the route records (a heartbeat's metadata, a stage's payload).
    if (presented.fromBody) delete (req.body as Record<string, unknown>).key;
    req.accountId = key.accountId;
    req.apiKeyId = key.id;
    req.apiKeyName = key.name ?? key.id;
    next();
  };
}
