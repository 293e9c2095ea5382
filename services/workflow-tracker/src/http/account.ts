import { TRACKER_ACCOUNT_HEADER } from '@pingback/contracts';
import { AppError, notFound } from '@pingback/http';
import type { Request } from 'express';

/** The account the gateway authenticated for this request. */
export function accountOf(req: Request): string {
  const account = req.get(TRACKER_ACCOUNT_HEADER);
  if (!account) throw new AppError('unauthorized', 'no account on a forwarded request');
  return account;
}

/** Seed 002's rule (CONTRACT §3): an unknown id is 404, another account's object 403. */
export function ownedBy<T extends { accountId: string }>(row: T | null, accountId: string, what: string): T {
  if (!row) throw notFound(what);
  if (row.accountId !== accountId) throw new AppError('forbidden', `access denied to this ${what}`);
  return row;
}
