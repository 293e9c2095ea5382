import { APPROVAL_ROUTES, CreateApprovalRequest, DecideApprovalRequest, mustOwn } from '@pingback/contracts';
import { Router } from 'express';
import type { ApprovalDeps } from '../approval-deps';
import { approvalBody, createdBody } from '../domain/approval-body';
import { IdempotencyKeyHeader, ListApprovalsQuery, ReadApprovalQuery } from '../domain/approval-requests';
import { createApproval } from '../domain/create-approval';
import { announceFinal } from '../domain/announce-final';
import { decideApproval, orAlreadyDecided } from '../domain/decide-approval';
import { listApprovals } from '../domain/list-approvals';
import { readApproval, waitForDecision } from '../domain/read-approval';
import { accountOf, apiKeyNameOf } from './account';

/** Seed 002's approvals as the gateway forwards them: create, poll (optionally waiting), list and decide by API. */
export function approvalRoutes(deps: ApprovalDeps & { recheckMs: number }): Router {
  const router = Router();

  router.post(APPROVAL_ROUTES.approvals.path, async (req, res) => {
    const accountId = accountOf(req);
    const idempotencyKey = IdempotencyKeyHeader.parse({ 'idempotency-key': req.get('idempotency-key') })['idempotency-key'] ?? null;
    const { row, replayed } = await createApproval(deps, accountId, CreateApprovalRequest.parse(req.body ?? {}), idempotencyKey);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).json(createdBody(row));
  });

  router.get(APPROVAL_ROUTES.approvals.path, async (req, res) => {
    res.json(await listApprovals(deps, accountOf(req), ListApprovalsQuery.parse(req.query)));
  });

  router.get(APPROVAL_ROUTES.approval.path, async (req, res) => {
    const accountId = accountOf(req);
    const { wait } = ReadApprovalQuery.parse(req.query);
    const callerGone = new AbortController();
    res.once('close', () => callerGone.abort());
    const row = wait > 0 ? await waitForDecision(deps, accountId, req.params.approvalId!, wait, callerGone.signal) : await readApproval(deps, accountId, req.params.approvalId!);
    res.json(approvalBody(row, deps.now()));
  });

  router.post(APPROVAL_ROUTES.approvalDecide.path, async (req, res) => {
    const accountId = accountOf(req);
    const { decision, notes } = DecideApprovalRequest.parse(req.body ?? {});
    // Only whose it is: a due time-out is applied by the decision itself.
    mustOwn(await deps.db.approval.findUnique({ where: { id: req.params.approvalId! }, select: { accountId: true } }), accountId, 'approval');
    const outcome = await deps.db.$transaction((tx) =>
      decideApproval(tx, deps, { approvalId: req.params.approvalId!, decision, notes: notes ?? null, decidedBy: apiKeyNameOf(req), via: 'api' }),
    );
    announceFinal(deps, outcome.row.id);
    res.json(approvalBody(orAlreadyDecided(outcome, deps.now()), deps.now()));
  });

  return router;
}
