import { DelivererRoutes, TestDeliveryRequest } from '@pingback/contracts';
import { jsonBody } from '@pingback/http';
import { Router } from 'express';
import { sendTestDelivery, type TestDeliveryDeps } from '../domain/test-delivery';

/** A test POST, sent now: the answer comes when the receiver has answered (or the attempt timed out). */
export function testDeliveriesRoutes(deps: TestDeliveryDeps): Router {
  const router = Router();
  router.post(DelivererRoutes.testDelivery.pattern, jsonBody(256 * 1024), async (req, res) => {
    res.json(await sendTestDelivery(deps, TestDeliveryRequest.parse(req.body)));
  });
  return router;
}
