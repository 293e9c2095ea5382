import { ApprovalLinkView, ApprovalRoutes, MAX_APPROVAL_NOTES_CHARS, parseApprovalLinkSubject, plainText } from '@pingback/contracts';
import { AppError, validationFailed } from '@pingback/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { GatewayDeps } from '../gateway-deps';
import { approvalLinkPage, approvalThanksPage, type ApprovalPage } from '../pages/approval-page';
import { sendPage } from '../pages/layout';
import { approvalLinkRouter } from './families';
import { formOrJsonBody, isForm } from './form-or-json-body';
import type { RouteFamily } from './route-family';

const BODY_LIMIT = 64 * 1024;

/** A decision's optional note; an empty one (the page's untouched textarea) is no note. */
const DecisionNote = z.object({ notes: plainText().max(MAX_APPROVAL_NOTES_CHARS).nullish() });

const send = (res: Response, status: number, page: ApprovalPage) => sendPage(res, status, page.title, page.content);

/** What the link's signed subject names: one approval, one reviewer, one decision. */
function linkOf(req: Request) {
  const link = req.linkSubject ? parseApprovalLinkSubject(req.linkSubject) : null;
  if (!link) throw new AppError('not_found', 'this link is not valid');
  return link;
}

const finalStateJson = (view: ApprovalLinkView) => ({
  approval_id: view.approvalId,
  status: view.status,
  result: view.result,
  notes: view.notes,
  decided_by: view.decidedBy,
  decided_at: view.decidedAt,
});

const alreadyDecidedJson = (message: string, view: ApprovalLinkView) => ({ error: 'already_decided', message, ...finalStateJson(view) });

/**
 * A reviewer's decision link from an approval's email (`/a/{token}`, one approval, one reviewer, one decision).
 * GET shows a confirmation and never decides: mail scanners open links. POST decides: the page's form gets a page
 * back, JSON gets JSON (200 with the final state, 409 `already_decided` with the one that won). The family checks
 * the link's signature first, so only a link this deployment signed reaches approval-service.
 */
export function approvalLinkRoutes(deps: GatewayDeps): RouteFamily {
  const routes = approvalLinkRouter(deps);
  const viewOf = (link: { approvalId: string; reviewerId: string }, traceId: string) =>
    deps.approvals(ApprovalRoutes.linkView, { params: { approvalId: link.approvalId, reviewerId: link.reviewerId }, traceId });

  routes.get('/a/:token', async (req, res) => {
    const link = linkOf(req);
    send(res, 200, approvalLinkPage(await viewOf(link, req.traceId), link.decision));
  });

  routes.post('/a/:token', formOrJsonBody(BODY_LIMIT), async (req, res) => {
    const link = linkOf(req);
    const form = isForm(req);
    const note = DecisionNote.safeParse(req.body ?? {});
    if (!note.success) {
      if (!form) throw validationFailed(note.error);
      const problem = `Your note ${note.error.issues[0]?.message ?? 'is not valid'}; nothing was recorded.`;
      return send(res, 400, approvalLinkPage(await viewOf(link, req.traceId), link.decision, { notice: problem }));
    }
    const notes = note.data.notes || undefined;
    let decided: ApprovalLinkView;
    try {
      decided = await deps.approvals(ApprovalRoutes.linkDecide, {
        params: { approvalId: link.approvalId, reviewerId: link.reviewerId, decision: link.decision },
        body: notes === undefined ? {} : { notes },
        traceId: req.traceId,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'already_decided') throw err;
      // approval-service sends the state that won along; should it not, ask for it.
      const final = ApprovalLinkView.safeParse(err.details.approval).data ?? (await viewOf(link, req.traceId));
      if (!form) return void res.status(409).json(alreadyDecidedJson(err.message, final));
      const notice = 'This request was already decided; your decision was not recorded.';
      return send(res, 409, approvalLinkPage(final, link.decision, { notice }));
    }
    if (!form) return void res.status(200).json(finalStateJson(decided));
    send(res, 200, approvalThanksPage(decided, link.decision));
  });

  return routes;
}
