import { ApprovalDecision, ApprovalLinkDecision, ApprovalRoutes, DomainError, notFoundError, toSeedTimestamp, type ApprovalLinkView } from '@pingback/contracts';
import { Router } from 'express';
import type { ApprovalDeps } from '../approval-deps';
import type { ApprovalRow } from '../domain/approval-row';
import { announceFinal } from '../domain/announce-final';
import { decideApproval } from '../domain/decide-approval';
import { withDueTimeout } from '../domain/read-approval';

/**
 * The gateway's decision-link pages ask here, after checking the link's signature: what the link is about, and
 * its decision. The link is the credential (no account): its reviewer must be one asked on that approval.
 */
export function linkRoutes(deps: ApprovalDeps): Router {
  const router = Router();

  const askedOn = async (approvalId: string, reviewerId: string) => {
    const reviewer = await deps.db.approvalReviewer.findUnique({ where: { approvalId_reviewerId: { approvalId, reviewerId } }, include: { approval: true } });
    if (!reviewer) throw notFoundError('approval');
    return reviewer;
  };

  router.get(ApprovalRoutes.linkView.pattern, async (req, res) => {
    const reviewer = await askedOn(req.params.approvalId!, req.params.reviewerId!);
    res.json(linkView(await withDueTimeout(deps, reviewer.approval), reviewer.name));
  });

  router.post(ApprovalRoutes.linkDecide.pattern, async (req, res) => {
    const decision = ApprovalDecision.parse(req.params.decision);
    const { notes } = ApprovalLinkDecision.parse(req.body ?? {});
    const reviewer = await askedOn(req.params.approvalId!, req.params.reviewerId!);
    const outcome = await deps.db.$transaction((tx) =>
      decideApproval(tx, deps, { approvalId: reviewer.approvalId, decision, notes: notes || null, decidedBy: reviewer.name, via: 'link' }),
    );
    announceFinal(deps, outcome.row.id);
    if (!outcome.won) throw new DomainError('already_decided', `this approval is already ${outcome.row.status}`, { approval: linkView(outcome.row, reviewer.name) });
    res.json(linkView(outcome.row, reviewer.name));
  });

  return router;
}

function linkView(row: ApprovalRow, reviewerName: string): ApprovalLinkView {
  return {
    approvalId: row.id,
    context: row.context,
    reviewerName,
    status: row.status as ApprovalLinkView['status'],
    result: row.result === null ? null : row.result === 1 ? 1 : 0,
    notes: row.notes,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? toSeedTimestamp(row.decidedAt) : null,
    expiresAt: toSeedTimestamp(row.expiresAt),
  };
}
