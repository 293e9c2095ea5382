import { CreateAccountRequest } from '@pingback/contracts';
import { createAccount } from '../domain/accounts';
import type { GatewayDeps } from '../gateway-deps';
import { adminRouter } from './families';
import type { RouteFamily } from './route-family';

/** /admin: the operator's admin key creates accounts, each with its first API key. */
export function adminRoutes(deps: GatewayDeps): RouteFamily {
  const routes = adminRouter(deps);
  routes.post('/admin/accounts', async (req, res) => {
    const { name } = CreateAccountRequest.parse(req.body ?? {});
    res.set('Cache-Control', 'no-store').status(201).json(await createAccount(deps, name));
  });
  return routes;
}
