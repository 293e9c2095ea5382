import { AppError } from '@pingback/http';
import { verifySignedId, type Keyring, type SignedIdPurpose } from '@pingback/security';
import type { RequestHandler } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import type { FamilyName } from '../http/route-family';
import { refuseCredential } from './refuse-credential';
import './request-context';

/** A link that is its own credential (`:token`): only one this deployment signed goes on. Sets req.linkSubject. */
export function signedLinkAuth(
  deps: { keyring: Keyring; credentialFailures: CredentialFailures },
  purpose: SignedIdPurpose,
  family: FamilyName,
): RequestHandler {
  return async (req, _res, next) => {
    const subject = verifySignedId(deps.keyring, purpose, typeof req.params.token === 'string' ? req.params.token : '');
    if (!subject) return refuseCredential(deps.credentialFailures, family, req, new AppError('not_found', 'this link is not valid'));
    req.linkSubject = subject;
    next();
  };
}
