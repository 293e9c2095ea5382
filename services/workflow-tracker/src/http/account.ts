import { FORWARDED_ACCOUNT_HEADER } from '@pingback/contracts';
import { AppError } from '@pingback/http';
import type { Request } from 'express';

/** The account the gateway authenticated for this request. */
export function accountOf(req: Request): string {
  const account = req.get(FORWARDED_ACCOUNT_HEADER);
  if (!account) throw new AppError('unauthorized', 'no account on a forwarded request');
  return account;
}

