import { unauthorized } from '@pingback/http';
import { constantTimeEqual } from '@pingback/security';
import type { RequestHandler } from 'express';
import { bearerToken } from './bearer';

/** /admin routes: the admin key from the environment, compared in constant time. */
export function adminAuth(adminKey: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req);
    if (!token || !constantTimeEqual(token, adminKey)) throw unauthorized();
    next();
  };
}
