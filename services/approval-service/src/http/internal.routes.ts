import { APPROVALS_PREFIX } from '@pingback/contracts';
import { jsonBody, rollBackWhenCallerGone, watchCaller } from '@pingback/http';
import { Router } from 'express';
import type { ApprovalDeps } from '../approval-deps';
import { approvalRoutes } from './approval.routes';
import { linkRoutes } from './link.routes';
import { reviewerRoutes } from './reviewer.routes';

/** The gateway's limit is 64 KiB; the forwarded JSON may be a little longer. */
const FORWARDED_BODY_BYTES = 128 * 1024;

/**
 * What the gateway forwards (`/internal/approvals` + the public path, the account in a header) and what its
 * decision-link pages ask. Transactions roll back when the gateway stopped waiting. Internal port only.
 */
export function internalRoutes(approvalDeps: ApprovalDeps, options: { recheckMs: number }): Router {
  const deps = { ...approvalDeps, db: rollBackWhenCallerGone(approvalDeps.db) };
  const forwarded = Router();
  forwarded.use(approvalRoutes({ ...deps, recheckMs: options.recheckMs }));
  forwarded.use(reviewerRoutes(deps));
  const router = Router();
  router.use(APPROVALS_PREFIX, jsonBody(FORWARDED_BODY_BYTES), watchCaller, forwarded);
  router.use(jsonBody(FORWARDED_BODY_BYTES), watchCaller, linkRoutes(deps));
  return router;
}
