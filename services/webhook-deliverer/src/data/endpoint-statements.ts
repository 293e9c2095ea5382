import { schemaForService } from '@pingback/db';

const SCHEMA = `"${schemaForService('webhook-deliverer')}"`;

/**
 * Counts one failed attempt toward an endpoint's health and switches the endpoint off when this failure is a 410
 * ($5) or brings the count to the threshold ($6). It is one INSERT … ON CONFLICT DO UPDATE: Postgres locks the
 * endpoint's row and always applies the update to its latest committed version, so failures counted at once by
 * many deliverer processes queue on the row and each sees the others' counts. The update only happens while the
 * row is enabled (`WHERE h.disabled_at IS NULL`), so exactly one statement ever moves it to disabled. Answers the
 * row as this statement left it (with disabled_at set only when this statement disabled it), or no row when the
 * endpoint was disabled already.
 *
 * $1 kind, $2 id, $3 account_id, $4 url, $5 gone (boolean), $6 failures that disable it, $7 now.
 */
export const COUNT_FAILURE = `
INSERT INTO ${SCHEMA}.endpoint_health AS h (kind, id, account_id, url, consecutive_failures, disabled_at, disabled_reason, updated_at)
VALUES ($1, $2, $3, $4, 1,
  CASE WHEN $5::boolean OR 1 >= $6::int THEN $7::timestamptz END,
  CASE WHEN $5::boolean THEN 'gone' WHEN 1 >= $6::int THEN 'consecutive_failures' END,
  $7::timestamptz)
ON CONFLICT (kind, id) DO UPDATE SET
  consecutive_failures = h.consecutive_failures + 1,
  disabled_at = CASE WHEN $5::boolean OR h.consecutive_failures + 1 >= $6::int THEN $7::timestamptz END,
  disabled_reason = CASE WHEN $5::boolean THEN 'gone' WHEN h.consecutive_failures + 1 >= $6::int THEN 'consecutive_failures' END,
  url = EXCLUDED.url, updated_at = EXCLUDED.updated_at
  WHERE h.disabled_at IS NULL
RETURNING kind, id, account_id AS "accountId", url, consecutive_failures AS "consecutiveFailures",
  disabled_at AS "disabledAt", disabled_reason AS "disabledReason"`;
