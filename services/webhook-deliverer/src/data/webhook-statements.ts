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
  endpoint_kind AS "endpointKind", endpoint_id AS "endpointId", status, attempts, response_status AS "responseStatus",
  latency_ms AS "latencyMs", error_code AS "errorCode", error_message AS "errorMessage", next_attempt_at AS "nextAttemptAt",
  claimed_until AS "claimedUntil", created_at AS "createdAt", settled_at AS "settledAt"`;

/** The endpoint's health beside a webhooks row, `h` being its endpoint_health row (null columns when there is none). */
const ENDPOINT_HEALTH_COLUMNS = `h.account_id AS "endpointAccountId", h.url AS "endpointUrl",
  h.consecutive_failures AS "endpointFailures", h.disabled_at AS "endpointDisabledAt", h.disabled_reason AS "endpointDisabledReason"`;

/**
 * Records the webhook unless its id is recorded, and claims it for one attempt in the same write: a new row is
 * born claimed; a recorded one is claimed only while pending and unclaimed (or its claim lapsed at $10), and
 * learns its signer and endpoint then if it was recorded before rows kept them. The attempt row goes in with the
 * claim. Answers the row with `claimed`, or the row as the statement found it, unclaimed; no row at all when a
 * concurrent copy inserted it after the statement began. Each answer carries the health of the row's endpoint
 * (null columns when it has none or the endpoint never failed), so a disabled endpoint costs no extra round trip.
 *
 * $1 id, $2 purpose, $3 url, $4 body, $5 account_id, $6 subject_kind, $7 subject_id, $8 subject_refs (JSON),
 * $9 claimed_until, $10 now, $11 attempt id, $12 attempt number, $13 started_at, $14 signed_at, $15 signer_kind,
 * $16 signer_id, $17 endpoint_kind, $18 endpoint_id.
 */
export const RECORD_AND_CLAIM = `
WITH claimed AS (
  INSERT INTO ${SCHEMA}.webhooks AS w (id, purpose, url, body, account_id, subject_kind, subject_id, subject_refs, claimed_until, signer_kind, signer_id, endpoint_kind, endpoint_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamptz, $15, $16, $17, $18)
  ON CONFLICT (id) DO UPDATE SET claimed_until = EXCLUDED.claimed_until,
    signer_kind = COALESCE(w.signer_kind, EXCLUDED.signer_kind), signer_id = COALESCE(w.signer_id, EXCLUDED.signer_id),
    endpoint_kind = COALESCE(w.endpoint_kind, EXCLUDED.endpoint_kind), endpoint_id = COALESCE(w.endpoint_id, EXCLUDED.endpoint_id)
    WHERE w.status = 'pending' AND (w.claimed_until IS NULL OR w.claimed_until < $10::timestamptz)
  RETURNING ${WEBHOOK_COLUMNS}
), attempt AS (
  INSERT INTO ${SCHEMA}.webhook_attempts (id, webhook_id, attempt, started_at, signed_at)
  SELECT $11::uuid, id, $12::int, $13::timestamptz, $14::timestamptz FROM claimed
), found AS (
  SELECT *, true AS claimed FROM claimed
  UNION ALL
  SELECT ${WEBHOOK_COLUMNS}, false AS claimed FROM ${SCHEMA}.webhooks WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM claimed)
)
SELECT found.*, ${ENDPOINT_HEALTH_COLUMNS}
FROM found LEFT JOIN ${SCHEMA}.endpoint_health h ON h.kind = found."endpointKind" AND h.id = found."endpointId"`;

/**
 * Finishes the attempt and settles the webhook if it is still pending. A success also starts its endpoint's count
 * of failures again, writing only when the count is not 0 already (most endpoints are healthy, and their rows are
 * not touched). Answers the row as settled, or as the statement found it when it was settled already.
 *
 * $1 attempt id, $2 finished_at, $3 outcome, $4 latency_ms, $5 response_status, $6 response_excerpt,
 * $7 error_code, $8 error_message, $9 webhook id, $10 status, $11 attempts, $12 endpoint_kind and $13
 * endpoint_id (null: no endpoint's health counts this attempt).
 */
export const SETTLE = `
WITH healthy AS (
  UPDATE ${SCHEMA}.endpoint_health SET consecutive_failures = 0, updated_at = $2::timestamptz
  WHERE $3 = 'succeeded' AND kind = $12 AND id = $13 AND consecutive_failures > 0 AND disabled_at IS NULL
), finished AS (
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
