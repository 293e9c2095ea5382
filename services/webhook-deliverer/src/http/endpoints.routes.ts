import { DelivererRoutes, EndpointRef, type EndpointHealthView } from '@pingback/contracts';
import { jsonBody, notFound } from '@pingback/http';
import { Router, type Request } from 'express';
import type { EndpointHealthRepository } from '../data/endpoint-health.repository';
import { AccountQuery } from './account-query';
import { toEndpointHealthView } from './endpoint-health-view';

const endpointOf = (req: Request): EndpointRef => EndpointRef.parse({ kind: req.params.kind, id: req.params.id });

/**
 * The health of an account's registered endpoints, for the gateway: how one is doing, and switching one back on
 * (the owner enabled it). Another account's endpoint is not found; one never seen never failed.
 */
export function endpointsRoutes(health: Pick<EndpointHealthRepository, 'find' | 'enable'>, clock: () => Date): Router {
  const router = Router();

  router.get(DelivererRoutes.endpointHealth.pattern, async (req, res) => {
    const { account_id: accountId } = AccountQuery.parse(req.query);
    const endpoint = endpointOf(req);
    const found = await health.find(endpoint);
    if (found && found.accountId !== accountId) throw notFound('endpoint');
    const reply: EndpointHealthView = toEndpointHealthView(endpoint, found);
    res.json(reply);
  });

  router.post(DelivererRoutes.enableEndpoint.pattern, jsonBody(16 * 1024), async (req, res) => {
    const { account_id: accountId } = AccountQuery.parse(req.body);
    const endpoint = endpointOf(req);
    const enabled = await health.enable(endpoint, accountId, clock());
    if (enabled === 'foreign') throw notFound('endpoint');
    const reply: EndpointHealthView = toEndpointHealthView(endpoint, enabled);
    res.json(reply);
  });

  return router;
}
