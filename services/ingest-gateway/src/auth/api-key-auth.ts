import { unauthorized } from '@pingback/http';
import { hashCandidates, type Keyring } from '@pingback/security';
import type { RequestHandler } from 'express';
import type { AccountRepository } from '../data/account.repository';
import { bearerToken } from './bearer';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      accountId?: string;
    }
  }
}

/** Management routes: `Authorization: Bearer <API key>`; sets req.accountId. */
export function apiKeyAuth(deps: { accounts: AccountRepository; keyring: Keyring }): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw unauthorized();
    const accountId = await deps.accounts.findAccountIdByKeyHash(hashCandidates(deps.keyring, token));
    if (!accountId) throw unauthorized();
    req.accountId = accountId;
    next();
  };
}

export function accountOf(req: { accountId?: string }): string {
  if (!req.accountId) throw unauthorized();
  return req.accountId;
}
