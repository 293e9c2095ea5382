import { z } from 'zod';
import type { ForwardedRoute } from './forwarded-route';
import type { InternalRoute } from './route';

/** Seed 002's approval routes and their reviewers, forwarded by the gateway to approval-service (ForwardedRoute). */
export const APPROVALS_PREFIX = '/internal/approvals';

export const APPROVAL_ROUTES = {
  approvals: { methods: ['GET', 'POST'], path: '/api/approvals' },
  approval: { methods: ['GET'], path: '/api/approvals/:approvalId' },
  approvalDecide: { methods: ['POST'], path: '/api/approvals/:approvalId/decide' },
  reviewers: { methods: ['GET', 'POST'], path: '/api/reviewers', family: 'management' },
  reviewer: { methods: ['GET', 'PUT', 'PATCH', 'DELETE'], path: '/api/reviewers/:reviewerId', family: 'management' },
} as const satisfies Record<string, ForwardedRoute>;

/** The longest note a decision may carry, by API, by link or from the respond page. */
export const MAX_APPROVAL_NOTES_CHARS = 2_000;

/** The longest `?wait=` a poll may ask for, in seconds. */
export const MAX_APPROVAL_WAIT_SECONDS = 30;

export const ApprovalDecision = z.enum(['approve', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/** Where an approval stands: pending, then exactly one final state. */
export const ApprovalStatus = z.enum(['pending', 'approved', 'denied', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;
export const FinalApprovalStatus = ApprovalStatus.exclude(['pending']);
/** 1 approved (by a person or an `approve` time-out), 0 denied. */
export const ApprovalResult = z.union([z.literal(0), z.literal(1)]);

/**
 * What an emailed decision link is about (the part of its token that is signed, `approval-link` purpose): one
 * approval, one reviewer, one decision. `~` joins them: no id contains it and signed ids may not contain `.`.
 */
export const approvalLinkSubject = (approvalId: string, reviewerId: string, decision: ApprovalDecision): string => `${approvalId}~${reviewerId}~${decision}`;

export function parseApprovalLinkSubject(subject: string): { approvalId: string; reviewerId: string; decision: ApprovalDecision } | null {
  const [approvalId, reviewerId, decision, ...rest] = subject.split('~');
  const parsed = ApprovalDecision.safeParse(decision);
  if (!approvalId || !reviewerId || !parsed.success || rest.length > 0) return null;
  return { approvalId, reviewerId, decision: parsed.data };
}

/** What a decision link's page shows: the approval as its reviewer may see it. */
export const ApprovalLinkView = z.object({
  approvalId: z.string(),
  context: z.string(),
  reviewerName: z.string(),
  status: ApprovalStatus,
  result: ApprovalResult.nullable(),
  notes: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string(),
});
export type ApprovalLinkView = z.infer<typeof ApprovalLinkView>;

/** A decision through a link: 200 with the new state, or 409 `already_decided` with the final state in `approval`. */
export const ApprovalLinkDecision = z.object({ notes: z.string().max(MAX_APPROVAL_NOTES_CHARS).optional() });
export type ApprovalLinkDecision = z.infer<typeof ApprovalLinkDecision>;

/** approval-service's internal port, for the gateway's decision-link pages (the gateway checked the signature). */
export const ApprovalRoutes = {
  linkView: { method: 'GET', pattern: '/internal/approval-links/:approvalId/:reviewerId', response: ApprovalLinkView },
  linkDecide: {
    method: 'POST',
    pattern: '/internal/approval-links/:approvalId/:reviewerId/:decision',
    request: ApprovalLinkDecision,
    response: ApprovalLinkView,
  },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
