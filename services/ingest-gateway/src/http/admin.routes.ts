import { CreateAccountRequest } from '@pingback/contracts';
import { jsonBody } from '@pingback/http';
import { Router } from 'express';
import { adminAuth } from '../auth/admin-auth';
import { createAccount } from '../domain/accounts';
import type { GatewayDeps } from '../gateway-deps';

/** /admin: the operator's admin key creates accounts, each with its first API key. */
export function adminRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.use('/admin', adminAuth(deps.adminKey), jsonBody(16 * 1024));
  router.post('/admin/accounts', async (req, res) => {
    const { name } = CreateAccountRequest.parse(req.body ?? {});
    res.set('Cache-Control', 'no-store').status(201).json(await createAccount(deps, name));
  });
  return router;
}
