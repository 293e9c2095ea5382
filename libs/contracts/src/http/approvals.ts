import { z } from 'zod';
import { ApprovalDecision, ApprovalResult, ApprovalStatus, FinalApprovalStatus, MAX_APPROVAL_NOTES_CHARS } from '../internal/approvals';
import { checkedJsonObject } from './json-object';
import { pageOf } from './management-lists';
import { plainText, postTargetUrl } from './text';

// Seed 002's approvals and the account's reviewers, as approval-service validates and answers them.

/** Context is what a reviewer reads before deciding; as long as a send's body. */
export const MAX_APPROVAL_CONTEXT_CHARS = 4_000;
export const MAX_REVIEWERS_PER_APPROVAL = 10;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_JSON_DEPTH = 32;
const reviewerId = plainText().min(1).max(64);

/** `POST /api/approvals` (seed 002), with this product's optional reviewers, escalation, callback and metadata. */
export const CreateApprovalRequest = z.object({
  context: plainText()
    .max(MAX_APPROVAL_CONTEXT_CHARS)
    .refine((text) => text.trim() !== '', 'must not be empty or blank'),
  timeout_seconds: z.number().int().min(1).max(86_400).default(300),
  timeout_action: z.enum(['deny', 'approve']).default('deny'),
  reviewers: z.array(reviewerId).min(1).max(MAX_REVIEWERS_PER_APPROVAL).optional(),
  escalation_reviewer: reviewerId.optional(),
  callback_url: postTargetUrl().optional(),
  metadata: checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: MAX_JSON_DEPTH, maxBytes: MAX_METADATA_BYTES }).optional(),
});
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequest>;

/** `POST /api/approvals/{id}/decide`: the dashboard's (or any API caller's) decision. */
export const DecideApprovalRequest = z.object({
  decision: ApprovalDecision,
  notes: plainText().max(MAX_APPROVAL_NOTES_CHARS).optional(),
});
export type DecideApprovalRequest = z.infer<typeof DecideApprovalRequest>;

/** The 201 of `POST /api/approvals`, as seed 002 writes it. */
export const ApprovalCreated = z.object({ approval_id: z.string(), status: z.literal('pending'), result: z.null(), expires_at: z.string() });
export type ApprovalCreated = z.infer<typeof ApprovalCreated>;

/** What every approval's view ends with: what it is about, when, and the caller's metadata. */
const ApprovalAbout = {
  context: z.string(),
  timeout_action: z.string().describe('deny | approve'),
  expires_at: z.string(),
  created_at: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
};

export const PendingApprovalView = z.object({
  approval_id: z.string(),
  status: z.literal('pending'),
  result: z.null(),
  seconds_remaining: z.number().int(),
  ...ApprovalAbout,
});

export const DecidedApprovalView = z.object({
  approval_id: z.string(),
  status: FinalApprovalStatus,
  /** 1 approved, 0 denied (an expired approval's is its time-out action's). */
  result: z.number().int().nullable(),
  notes: z.string().nullable(),
  decided_by: z.string().nullable(),
  /** How: `api` (decided_by is the API key's name), `link` or `message` (a reviewer's name), `timeout`. */
  decided_via: z.string().nullable(),
  decided_at: z.string().nullable(),
  ...ApprovalAbout,
});

/** `GET /api/approvals/{id}`, as seed 002 writes it: pending with `seconds_remaining`; decided with `result`, `notes`, `decided_by`. */
export const ApprovalView = z.union([PendingApprovalView, DecidedApprovalView]);
export type ApprovalView = z.infer<typeof ApprovalView>;

export const ApprovalList = pageOf(ApprovalView);

/** An `/a/{token}` decision by JSON: the approval's final state (a 409 `already_decided` adds `error` and `message`). */
export const ApprovalLinkFinalState = z.object({
  approval_id: z.string(),
  status: ApprovalStatus,
  result: ApprovalResult.nullable(),
  notes: z.string().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
});
export type ApprovalLinkFinalState = z.infer<typeof ApprovalLinkFinalState>;

const MAX_CHANNELS_PER_REVIEWER = 10;
const reviewerFields = {
  name: plainText().trim().min(1).max(200),
  channels: z.array(plainText().min(1).max(64)).min(1).max(MAX_CHANNELS_PER_REVIEWER),
  default: z.boolean(),
};

/** `POST` and `PUT /api/reviewers`: a name, the account's channels that reach them, and whether they are a default reviewer. */
export const ReviewerRequest = z.object({ ...reviewerFields, default: reviewerFields.default.default(false) });
export type ReviewerRequest = z.infer<typeof ReviewerRequest>;
/** `PATCH /api/reviewers/{id}`: the fields given. */
export const ReviewerPatch = z.object({ name: reviewerFields.name.optional(), channels: reviewerFields.channels.optional(), default: reviewerFields.default.optional() });
export type ReviewerPatch = z.infer<typeof ReviewerPatch>;

export const ReviewerView = z.object({
  id: z.string(),
  name: z.string(),
  channels: z.array(z.string()),
  default: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ReviewerView = z.infer<typeof ReviewerView>;

export const ReviewerList = pageOf(ReviewerView);
