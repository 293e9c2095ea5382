import type { RequestHandler } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import { findApiKey, type ApiKeyDeps } from './api-key';
import { authorizationOf } from './bearer';
import { malformedCredential, missingCredential, unknownCredential } from './credential-errors';
import { refuseCredential } from './refuse-credential';
import './request-context';

/** Management routes: `Authorization: Bearer <API key>` only; sets req.accountId and req.apiKeyId. */
export function managementAuth(deps: ApiKeyDeps & { credentialFailures: CredentialFailures }): RequestHandler {
  return async (req, _res, next) => {
    const authorization = authorizationOf(req);
    if (authorization.kind === 'none') throw missingCredential('missing Authorization header: send "Authorization: Bearer <API key>"');
    if (authorization.kind === 'malformed') {
      return refuseCredential(deps.credentialFailures, 'management', req, malformedCredential('malformed Authorization header: expected "Bearer <API key>"'));
    }
    const key = await findApiKey(deps, authorization.token, req, 'header');
    if (!key) return refuseCredential(deps.credentialFailures, 'management', req, unknownCredential('unknown or revoked API key'));
    req.accountId = key.accountId;
    req.apiKeyId = key.id;
    req.apiKeyName = key.name ?? key.id;
    next();
  };
}
