import type { Request } from 'express';

export type Authorization = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

/** What the `Authorization` header holds: nothing, something other than `Bearer <token>`, or a bearer token. */
export function authorizationOf(req: Request): Authorization {
  const header = req.get('authorization');
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? { kind: 'bearer', token: match[1]! } : { kind: 'malformed' };
}
