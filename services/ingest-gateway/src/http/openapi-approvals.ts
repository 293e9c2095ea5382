import {
  APPROVAL_ROUTES,
  ApprovalCreated,
  ApprovalLinkDecision,
  ApprovalLinkFinalState,
  ApprovalList,
  ApprovalView,
  CreateApprovalRequest,
  DecideApprovalRequest,
  ReviewerList,
  ReviewerPatch,
  ReviewerRequest,
  ReviewerView,
} from '@pingback/contracts';
import { bodyOrForm, error, header, okOrPage, page, path, query } from './openapi-helpers';
import { forwardedPaths, type ForwardedOperations } from './openapi-tracker';

const SUMMARIES: Record<keyof typeof APPROVAL_ROUTES, string> = {
  approvals: 'Request a human decision (seed 002): 201 {approval_id, status: pending, result: null, expires_at}; or list the account\'s approvals (?status=)',
  approval: 'Poll an approval (seed 002): result null while pending, 1 approved, 0 denied; ?wait=N (≤ 30) holds the poll until a decision',
  approvalDecide: 'Decide by API ({decision: approve|deny, notes}); 409 already_decided with the final state',
  reviewers: "The account's reviewers (a name and the channels that reach them), or add one",
  reviewer: 'A reviewer: read, replace, change, delete',
};

const QUERIES: Partial<Record<keyof typeof APPROVAL_ROUTES, ReturnType<typeof query>[]>> = {
  approval: [query('wait', 'seconds (0–30) to hold the poll open until a decision')],
  approvals: [query('status', 'pending | approved | denied | expired'), query('limit', '1–100'), query('cursor', "the page's next_cursor")],
  reviewers: [query('limit', '1–100'), query('cursor', "the page's next_cursor")],
};

const OPERATIONS: ForwardedOperations<typeof APPROVAL_ROUTES> = {
  approvals: {
    GET: { response: ApprovalList },
    POST: { request: CreateApprovalRequest, status: 201, response: ApprovalCreated, headers: [header('Idempotency-Key', 'a retry with the same key answers the first approval (Idempotent-Replayed: true)')] },
  },
  approval: { GET: { response: ApprovalView } },
  approvalDecide: { POST: { request: DecideApprovalRequest, response: ApprovalView } },
  reviewers: { GET: { response: ReviewerList }, POST: { request: ReviewerRequest, status: 201, response: ReviewerView } },
  reviewer: { GET: { response: ReviewerView }, PUT: { request: ReviewerRequest, response: ReviewerView }, PATCH: { request: ReviewerPatch, response: ReviewerView }, DELETE: { response: 204 } },
};

/** Seed 002's approvals and the reviewers, forwarded to approval-service; and the reviewers' decision links. */
export function approvalPaths(): Record<string, Record<string, unknown>> {
  return {
    ...forwardedPaths(APPROVAL_ROUTES, SUMMARIES, OPERATIONS, QUERIES),
    '/a/{token}': {
      parameters: [path('token', 'an approval decision link: one approval, one reviewer, one decision')],
      get: { summary: 'The decision page (HTML): a confirmation while pending, the final state once decided; never decides', responses: { 200: page(), 404: error('page: not valid'), 429: error('page: rate_limited') } },
      post: {
        summary: "Decide: the page's form gets a page, JSON gets JSON",
        requestBody: { ...bodyOrForm(ApprovalLinkDecision), required: false },
        responses: { 200: okOrPage(ApprovalLinkFinalState, 'the final state (JSON), or the thanks page (a form)'), 400: error('validation_failed'), 404: error('not_found'), 409: error('already_decided, with the final state'), 429: error('rate_limited') },
      },
    },
  };
}
