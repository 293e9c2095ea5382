import { schemaForService } from '@pingback/db';

/**
 * The two statements every attempt runs, each as one SQL statement (one round trip, one commit) instead of an
 * interactive transaction of four or five Prisma queries: on the hot path, each query's round trip and Prisma's
 * work to build it cost more CPU than the POST itself. Data-modifying CTEs run atomically in one statement.
 * They read the tables through the statement's snapshot: when a concurrent copy of the command committed in
 * between, the caller reads the row again (see the repository).
 */
const SCHEMA = `"${schemaForService('webhook-deliverer')}"`;

/** The webhooks row under the names and types of Prisma's `Webhook`. */
const WEBHOOK_COLUMNS = `id, purpose, url, body, account_id AS "accountId", subject_kind AS "subjectKind",
  subject_id AS "subjectId", subject_refs AS "subjectRefs", signer_kind AS "signerKind", signer_id AS "signerId",
  status, attempts, response_status AS "responseStatus", latency_ms AS "latencyMs", error_code AS "errorCode",
  error_message AS "errorMessage", next_attempt_at AS "nextAttemptAt", claimed_until AS "claimedUntil",
  created_at AS "createdAt", settled_at AS "settledAt"`;

/**
 * Records the webhook unless its id is recorded, and claims it for one attempt in the same write: a new row is
 * born claimed; a recorded one is claimed only while pending and unclaimed (or its claim lapsed at $10), and
 * learns its signer then if it was recorded before rows kept one. The attempt row goes in with the claim. Answers
 * the row with `claimed`, or the row as the statement found it, unclaimed; no row at all when a concurrent copy
 * inserted it after the statement began.
 *
 * $1 id, $2 purpose, $3 url, $4 body, $5 account_id, $6 subject_kind, $7 subject_id, $8 subject_refs (JSON),
 * $9 claimed_until, $10 now, $11 attempt id, $12 attempt number, $13 started_at, $14 signed_at, $15 signer_kind,
 * $16 signer_id.
 */
export const RECORD_AND_CLAIM = `
WITH claimed AS (
  INSERT INTO ${SCHEMA}.webhooks AS w (id, purpose, url, body, account_id, subject_kind, subject_id, subject_refs, claimed_until, signer_kind, signer_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamptz, $15, $16)
  ON CONFLICT (id) DO UPDATE SET claimed_until = EXCLUDED.claimed_until,
    signer_kind = COALESCE(w.signer_kind, EXCLUDED.signer_kind), signer_id = COALESCE(w.signer_id, EXCLUDED.signer_id)
    WHERE w.status = 'pending' AND (w.claimed_until IS NULL OR w.claimed_until < $10::timestamptz)
  RETURNING ${WEBHOOK_COLUMNS}
), attempt AS (
  INSERT INTO ${SCHEMA}.webhook_attempts (id, webhook_id, attempt, started_at, signed_at)
  SELECT $11::uuid, id, $12::int, $13::timestamptz, $14::timestamptz FROM claimed
)
SELECT *, true AS claimed FROM claimed
UNION ALL
SELECT ${WEBHOOK_COLUMNS}, false AS claimed FROM ${SCHEMA}.webhooks WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM claimed)`;

/**
 * Finishes the attempt and settles the webhook if it is still pending. Answers the row as settled, or as the
 * statement found it when it was settled already.
 *
 * $1 attempt id, $2 finished_at, $3 outcome, $4 latency_ms, $5 response_status, $6 response_excerpt,
 * $7 error_code, $8 error_message, $9 webhook id, $10 status, $11 attempts.
 */
export const SETTLE = `
WITH finished AS (
  UPDATE ${SCHEMA}.webhook_attempts
  SET finished_at = $2::timestamptz, outcome = $3, latency_ms = $4::int, response_status = $5::int,
    response_excerpt = $6, error_code = $7, error_message = $8
  WHERE id = $1::uuid
), settled AS (
  UPDATE ${SCHEMA}.webhooks
  SET status = $10, attempts = $11::int, response_status = $5::int, latency_ms = $4::int, error_code = $7,
    error_message = $8, settled_at = $2::timestamptz, next_attempt_at = NULL, claimed_until = NULL
  WHERE id = $9 AND status = 'pending'
  RETURNING ${WEBHOOK_COLUMNS}
)
SELECT * FROM settled
UNION ALL
SELECT ${WEBHOOK_COLUMNS} FROM ${SCHEMA}.webhooks WHERE id = $9 AND NOT EXISTS (SELECT 1 FROM settled)`;
