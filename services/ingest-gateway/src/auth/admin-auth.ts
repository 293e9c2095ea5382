import { constantTimeEqual } from '@pingback/security';
import type { RequestHandler } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import { authorizationOf } from './bearer';
import { malformedCredential, missingCredential, unknownCredential } from './credential-errors';
import { refuseCredential } from './refuse-credential';

/** /admin routes: `Authorization: Bearer <admin key>`, the key from the environment compared in constant time. */
export function adminAuth(deps: { adminKey: string; credentialFailures: CredentialFailures }): RequestHandler {
  return async (req, _res, next) => {
    const authorization = authorizationOf(req);
    if (authorization.kind === 'none') throw missingCredential('missing Authorization header: send "Authorization: Bearer <admin key>"');
    if (authorization.kind === 'malformed') {
      return refuseCredential(deps.credentialFailures, 'admin', req, malformedCredential('malformed Authorization header: expected "Bearer <admin key>"'));
    }
    if (!constantTimeEqual(authorization.token, deps.adminKey)) {
      return refuseCredential(deps.credentialFailures, 'admin', req, unknownCredential('wrong admin key'));
    }
    next();
  };
}
