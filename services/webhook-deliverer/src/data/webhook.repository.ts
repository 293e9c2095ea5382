import { randomUUID } from 'node:crypto';
import type { WebhookError, WebhookPurpose, WebhookSubject } from '@pingback/contracts';
import type { PrismaClient, Webhook, WebhookAttempt } from '../generated/prisma/client';
import { RECORD_AND_CLAIM, SETTLE } from './webhook-statements';

export type WebhookStatus = 'pending' | 'succeeded' | 'failed';

export interface NewWebhook {
  id: string;
  purpose: WebhookPurpose;
  url: string;
  body: string;
  subject: WebhookSubject;
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
     */
    async recordAndClaim(webhook: NewWebhook, attempt: Omit<StartedAttempt, 'webhookId'>, claimMs: number): Promise<{ webhook: Webhook; attemptId: string | null }> {
      const attemptId = randomUUID();
      const now = attempt.startedAt;
      const rows = await db.$queryRawUnsafe<(Webhook & { claimed: boolean })[]>(
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
      );
      const row = rows[0];
      // No row: a concurrent copy of the command inserted it after this statement began, and holds the claim.
      if (!row) return { webhook: await find(webhook.id), attemptId: null };
      const { claimed, ...recorded } = row;
      return { webhook: recorded, attemptId: claimed ? attemptId : null };
    },

    /** An attempt that never sent its POST (its signer could not be looked up): gone, and the claim released. */
    async abandonAttempt(webhookId: string, attemptId: string): Promise<void> {
      await db.$transaction([
        db.webhookAttempt.deleteMany({ where: { id: attemptId } }),
        db.webhook.updateMany({ where: { id: webhookId, status: 'pending' }, data: { claimedUntil: null } }),
      ]);
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
     * webhook settles once however many copies of its command run. Returns the row as it now stands.
     */
    async settle(
      webhookId: string,
      attemptId: string,
      finished: FinishedAttempt & { status: Exclude<WebhookStatus, 'pending'>; attempts: number },
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
      );
      const row = rows[0];
      // Still pending as this statement saw it: a concurrent copy settled it meanwhile, and its commit decides.
      return row && row.status !== 'pending' ? row : find(webhookId);
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
