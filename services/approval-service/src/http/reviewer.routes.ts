import { APPROVAL_ROUTES, ListQuery, ReviewerPatch, ReviewerRequest } from '@pingback/contracts';
import { Router } from 'express';
import type { ApprovalDeps } from '../approval-deps';
import { createReviewer, deleteReviewer, listReviewers, readReviewer, reviewerBody, updateReviewer } from '../domain/reviewers';
import { accountOf } from './account';

/** `/api/reviewers`: the people who decide the account's approvals, each reached on the account's channels. */
export function reviewerRoutes(deps: ApprovalDeps): Router {
  const router = Router();
  const path = APPROVAL_ROUTES.reviewer.path;

  router.post(APPROVAL_ROUTES.reviewers.path, async (req, res) => {
    res.status(201).json(reviewerBody(await createReviewer(deps, accountOf(req), ReviewerRequest.parse(req.body ?? {}))));
  });
  router.get(APPROVAL_ROUTES.reviewers.path, async (req, res) => {
    res.json(await listReviewers(deps, accountOf(req), ListQuery.parse(req.query)));
  });
  router.get(path, async (req, res) => {
    res.json(reviewerBody(await readReviewer(deps, accountOf(req), req.params.reviewerId!)));
  });
  router.put(path, async (req, res) => {
    res.json(reviewerBody(await updateReviewer(deps, accountOf(req), req.params.reviewerId!, ReviewerRequest.parse(req.body ?? {}))));
  });
  router.patch(path, async (req, res) => {
    res.json(reviewerBody(await updateReviewer(deps, accountOf(req), req.params.reviewerId!, ReviewerPatch.parse(req.body ?? {}))));
  });
  router.delete(path, async (req, res) => {
    await deleteReviewer(deps, accountOf(req), req.params.reviewerId!);
    res.status(204).end();
  });
  return router;
}
