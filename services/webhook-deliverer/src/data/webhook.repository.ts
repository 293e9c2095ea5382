import { randomUUID } from 'node:crypto';
import type { EndpointKind, EndpointRef, WebhookError, WebhookPurpose, WebhookSigner, WebhookSubject } from '@pingback/contracts';
import type { DisabledReason, EndpointHealth } from '../domain/endpoint-health';
import type { Prisma, PrismaClient, Webhook, WebhookAttempt } from '../generated/prisma/client';
import { RECORD_AND_CLAIM, SETTLE } from './webhook-statements';

export type WebhookStatus = 'pending' | 'succeeded' | 'failed';

export interface NewWebhook {
  id: string;
  purpose: WebhookPurpose;
  url: string;
  body: string;
  subject: WebhookSubject;
  /** Kept with the row, so a resend signs it as the first round did. */
  signer: WebhookSigner;
  /** The registered endpoint it goes to, whose health its attempts count toward; null for a send's own URL. */
  endpoint: EndpointRef | null;
}

export interface StartedAttempt {
  webhookId: string;
  attempt: number;
  startedAt: Date;
  signedAt: Date;
}

/** What an attempt came to, as recorded. */
export interface FinishedAttempt {
  finishedAt: Date;
  outcome: 'succeeded' | 'failed';
  latencyMs: number;
  responseStatus?: number;
  responseExcerpt?: string;
  error?: WebhookError;
}

export type WebhookWithAttempts = Webhook & { attemptRows: WebhookAttempt[] };

/** One page of an account's POSTs: `before` is the id of the last row of the previous page. */
export interface AccountWebhooksQuery {
  accountId: string;
  status?: WebhookStatus;
  limit: number;
  before?: string;
  /** Only the POSTs to this endpoint id. */
  endpointId?: string;
}

const SUMMARY = {
  id: true,
  purpose: true,
  url: true,
  status: true,
  errorCode: true,
  errorMessage: true,
  subjectKind: true,
  subjectId: true,
  endpointKind: true,
  endpointId: true,
  createdAt: true,
  settledAt: true,
  attemptRows: {
    orderBy: { startedAt: 'asc' },
    select: {
      attempt: true,
      startedAt: true,
      finishedAt: true,
      outcome: true,
      responseStatus: true,
      latencyMs: true,
      responseExcerpt: true,
      errorCode: true,
      errorMessage: true,
    },
  },
} as const satisfies Prisma.WebhookSelect;

/** A listed POST: no body or signer; each attempt, oldest first. */
export type WebhookSummary = Prisma.WebhookGetPayload<{ select: typeof SUMMARY }>;

/** The endpoint health columns RECORD_AND_CLAIM answers beside the row (all null when there is no record). */
interface EndpointHealthColumns {
  endpointAccountId: string | null;
  endpointUrl: string | null;
  endpointFailures: number | null;
  endpointDisabledAt: Date | null;
  endpointDisabledReason: string | null;
}

/** The row RECORD_AND_CLAIM answered, split into the webhook and its endpoint's health. */
function splitHealth(row: Webhook & EndpointHealthColumns): { webhook: Webhook; endpointHealth: EndpointHealth | null } {
  const { endpointAccountId, endpointUrl, endpointFailures, endpointDisabledAt, endpointDisabledReason, ...webhook } = row;
  if (!webhook.endpointKind || !webhook.endpointId || endpointAccountId === null) return { webhook, endpointHealth: null };
  return {
    webhook,
    endpointHealth: {
      kind: webhook.endpointKind as EndpointKind,
      id: webhook.endpointId,
      accountId: endpointAccountId,
      url: endpointUrl ?? webhook.url,
      consecutiveFailures: endpointFailures ?? 0,
      disabledAt: endpointDisabledAt,
      disabledReason: endpointDisabledReason as DisabledReason | null,
    },
  };
}

/** Postgres is the record of every outgoing POST: one row per webhook-id, one per attempt. */
export function createWebhookRepository(db: PrismaClient) {
  async function find(id: string): Promise<Webhook> {
    const row = await db.webhook.findUnique({ where: { id } });
    if (!row) throw new Error(`webhook ${id} vanished while it was being delivered`);
    return row;
  }

  function finishAttemptQuery(attemptId: string, finished: FinishedAttempt) {
    return db.webhookAttempt.update({
      where: { id: attemptId },
      data: {
        finishedAt: finished.finishedAt,
        outcome: finished.outcome,
        latencyMs: finished.latencyMs,
        responseStatus: finished.responseStatus ?? null,
        responseExcerpt: finished.responseExcerpt ?? null,
        errorCode: finished.error?.code ?? null,
        errorMessage: finished.error?.message ?? null,
      },
    });
  }

  return {
    /**
     * In one transaction: records the webhook unless its id is already recorded, then claims it for one attempt
     * and records the attempt before its POST goes out (so one cut short by a crash still shows). Returns the row
     * as it now stands, and the attempt's id, or null when the webhook is settled or another copy of the command
     * holds the claim: two copies running at once must not both POST. A claim lapses by itself after `claimMs`.
     * Also returns the health of the webhook's endpoint, read in the same statement (null: no endpoint, or one
     * that never failed).
     */
    async recordAndClaim(
      webhook: NewWebhook,
      attempt: Omit<StartedAttempt, 'webhookId'>,
      claimMs: number,
    ): Promise<{ webhook: Webhook; attemptId: string | null; endpointHealth: EndpointHealth | null }> {
      const attemptId = randomUUID();
      const now = attempt.startedAt;
      const rows = await db.$queryRawUnsafe<(Webhook & EndpointHealthColumns & { claimed: boolean })[]>(
        RECORD_AND_CLAIM,
        webhook.id,
        webhook.purpose,
        webhook.url,
        webhook.body,
        webhook.subject.accountId,
        webhook.subject.kind,
        webhook.subject.id,
        JSON.stringify(webhook.subject.refs),
        new Date(now.getTime() + claimMs),
        now,
        attemptId,
        attempt.attempt,
        attempt.startedAt,
        attempt.signedAt,
        webhook.signer.kind,
        webhook.signer.id,
        webhook.endpoint?.kind ?? null,
        webhook.endpoint?.id ?? null,
      );
      const row = rows[0];
      // No row: a concurrent copy of the command inserted it after this statement began, and holds the claim.
      if (!row) return { webhook: await find(webhook.id), attemptId: null, endpointHealth: null };
      const { claimed, ...recorded } = row;
      return { ...splitHealth(recorded), attemptId: claimed ? attemptId : null };
    },

    /** An attempt that never sent its POST (its signer could not be looked up): gone, and the claim released. */
    async abandonAttempt(webhookId: string, attemptId: string): Promise<void> {
      await db.$transaction([
        db.webhookAttempt.deleteMany({ where: { id: attemptId } }),
        db.webhook.updateMany({ where: { id: webhookId, status: 'pending' }, data: { claimedUntil: null } }),
      ]);
    },

    /** A webhook with no attempt on record that nothing will send (a test POST whose signer could not be looked up): gone. */
    async discardUnsent(webhookId: string): Promise<void> {
      await db.webhook.deleteMany({ where: { id: webhookId, status: 'pending', attemptRows: { none: {} } } });
    },

    /** Records a failed attempt that will be retried; the webhook stays pending. */
    async recordRetry(webhookId: string, attemptId: string, finished: FinishedAttempt, nextAttemptAt: Date): Promise<void> {
      await db.$transaction([
        finishAttemptQuery(attemptId, finished),
        db.webhook.updateMany({ where: { id: webhookId, status: 'pending' }, data: { nextAttemptAt, claimedUntil: null } }),
      ]);
    },

    /**
     * Finishes the attempt and settles the webhook, if it is still pending: the conditional write decides, so a
     * webhook settles once however many copies of its command run. A success starts the count of failures of
     * `endpoint` again (null: no endpoint's health counts this attempt). Returns the row as it now stands.
     */
    async settle(
      webhookId: string,
      attemptId: string,
      finished: FinishedAttempt & { status: Exclude<WebhookStatus, 'pending'>; attempts: number },
      endpoint: EndpointRef | null,
    ): Promise<Webhook> {
      const rows = await db.$queryRawUnsafe<Webhook[]>(
        SETTLE,
        attemptId,
        finished.finishedAt,
        finished.outcome,
        finished.latencyMs,
        finished.responseStatus ?? null,
        finished.responseExcerpt ?? null,
        finished.error?.code ?? null,
        finished.error?.message ?? null,
        webhookId,
        finished.status,
        finished.attempts,
        endpoint?.kind ?? null,
        endpoint?.id ?? null,
      );
      const row = rows[0];
      // Still pending as this statement saw it: a concurrent copy settled it meanwhile, and its commit decides.
      return row && row.status !== 'pending' ? row : find(webhookId);
    },

    findById(id: string): Promise<Webhook | null> {
      return db.webhook.findUnique({ where: { id } });
    },

    /**
     * An account's POSTs, newest first (ties by id), `limit` of them; null when `before` is not one of the
     * account's. The cursor row is found whatever its status now, so a page of failed ones goes on after a resend.
     * Three queries a page however long it is: the cursor row, the page, and the attempts of all its POSTs.
     */
    async listForAccount(query: AccountWebhooksQuery): Promise<WebhookSummary[] | null> {
      let keyset: Prisma.WebhookWhereInput = {};
      if (query.before) {
        const last = await db.webhook.findFirst({ where: { id: query.before, accountId: query.accountId }, select: { id: true, createdAt: true } });
        if (!last) return null;
        keyset = { OR: [{ createdAt: { lt: last.createdAt } }, { createdAt: last.createdAt, id: { lt: last.id } }] };
      }
      return db.webhook.findMany({
        where: {
          accountId: query.accountId,
          ...(query.status ? { status: query.status } : {}),
          ...(query.endpointId ? { endpointId: query.endpointId } : {}),
          ...keyset,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
        select: SUMMARY,
      });
    },

    /**
     * Puts a webhook that failed for good back to pending, for a new round of attempts, by one conditional
     * update: of two resends at once, one wins. Its attempts stay on record. False when it is not failed (now).
     */
    async reopenFailed(id: string): Promise<boolean> {
      const { count } = await db.webhook.updateMany({
        where: { id, status: 'failed' },
        data: {
          status: 'pending',
          attempts: null,
          responseStatus: null,
          latencyMs: null,
          errorCode: null,
          errorMessage: null,
          nextAttemptAt: null,
          claimedUntil: null,
          settledAt: null,
        },
      });
      return count === 1;
    },

    /**
     * Undoes reopenFailed when the resend's command could not be published: the webhook is failed again as it
     * was, unless a copy of its command has meanwhile claimed it or scheduled a retry (then that copy goes on).
     */
    async restoreFailed(previous: Webhook): Promise<void> {
      await db.webhook.updateMany({
        where: { id: previous.id, status: 'pending', claimedUntil: null, nextAttemptAt: null },
        data: {
          status: 'failed',
          attempts: previous.attempts,
          responseStatus: previous.responseStatus,
          latencyMs: previous.latencyMs,
          errorCode: previous.errorCode,
          errorMessage: previous.errorMessage,
          settledAt: previous.settledAt,
        },
      });
    },

    /** One POST of the account, as listed; null for an unknown id or another account's. */
    findForAccount(accountId: string, id: string): Promise<WebhookSummary | null> {
      return db.webhook.findFirst({ where: { id, accountId }, select: SUMMARY });
    },

    findWithAttempts(id: string): Promise<WebhookWithAttempts | null> {
      return db.webhook.findUnique({ where: { id }, include: { attemptRows: { orderBy: { startedAt: 'asc' } } } });
    },

    /** Every POST made about one owner (a message, a delivery…), oldest first. */
    findBySubject(subject: { kind: string; id: string }): Promise<WebhookWithAttempts[]> {
      return db.webhook.findMany({
        where: { subjectKind: subject.kind, subjectId: subject.id },
        orderBy: { createdAt: 'asc' },
        include: { attemptRows: { orderBy: { startedAt: 'asc' } } },
      });
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
