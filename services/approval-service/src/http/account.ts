import { FORWARDED_ACCOUNT_HEADER, FORWARDED_KEY_NAME_HEADER } from '@pingback/contracts';
import { AppError } from '@pingback/http';
import type { Request } from 'express';

/** The account the gateway authenticated for this request. */
export function accountOf(req: Request): string {
  const account = req.get(FORWARDED_ACCOUNT_HEADER);
  if (!account) throw new AppError('unauthorized', 'no account on a forwarded request');
  return account;
}

/** Who decides when a request decides by API: the API key's name, as the gateway passed it. */
export function apiKeyNameOf(req: Request): string {
  const name = req.get(FORWARDED_KEY_NAME_HEADER);
  if (!name) return 'API key';
  try {
    return decodeURIComponent(name);
  } catch {
    return 'API key';
  }
}
