import type { Broker } from '@pingback/broker';
import { AccountRef, CreateEventEndpoint, DispatcherRoutes as Routes, publications, type SignerSecrets } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import { Router } from 'express';
import type { EventEndpoints } from '../domain/event-endpoints';
import { accountOf } from './account-query';


/** The account's event endpoints, for the gateway's `/api/endpoints`; and their secrets, for webhook-deliverer. */
export function endpointRoutes(endpoints: EventEndpoints, broker: Broker): Router {
  const router = Router();
  // Deliverers cache secrets: a rotated or deleted endpoint's are dropped at once.
  const forget = (id: string) => broker.publish(publications.signerRotated, { kind: 'endpoint', id });

  router.post(Routes.createEndpoint.pattern, async (req, res) => {
    const request = CreateEventEndpoint.parse(req.body);
    res.set('Cache-Control', 'no-store').json(await endpoints.create(request.account_id, request.url, request.max));
  });
  router.get(Routes.listEndpoints.pattern, async (req, res) => {
    res.json({ data: await endpoints.list(accountOf(req)) });
  });
  router.get(Routes.getEndpoint.pattern, async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await endpoints.get(accountOf(req), req.params.id!));
  });
  router.delete(Routes.deleteEndpoint.pattern, async (req, res) => {
    const deleted = await endpoints.remove(accountOf(req), req.params.id!);
    if (deleted > 0) await forget(req.params.id!);
    res.json({ deleted });
  });
  router.post(Routes.enableEndpoint.pattern, async (req, res) => {
    const { account_id: accountId } = AccountRef.parse(req.body);
    res.json(await endpoints.enable(accountId, req.params.id!, new Date()));
  });
  router.post(Routes.rotateEndpointSecret.pattern, async (req, res) => {
    const { account_id: accountId } = AccountRef.parse(req.body);
    const rotated = await endpoints.rotate(accountId, req.params.id!, new Date());
    await forget(req.params.id!);
    res.set('Cache-Control', 'no-store').json(rotated);
  });
  router.get(Routes.signerSecrets.pattern, async (req, res) => {
    const secrets = req.params.kind === 'endpoint' ? await endpoints.signerSecrets(req.params.id!, new Date()) : null;
    if (!secrets) throw notFound('signer');
    const reply: SignerSecrets = { secrets };
    res.set('Cache-Control', 'no-store').json(reply);
  });
  return router;
}
