import { SECRET_PREFIXES } from './secrets';

export const REDACTED = '[REDACTED]';

// A secret by its shape: one of our prefixes, then the characters of base64, base64url and percent-encoding, so
// `whsec_ab%2Bcd%3D` in a query string goes as a whole. No word boundary before the prefix: `%2Fpbk_…` has none.
// The prefix stays, to show what kind of secret was there.
const SECRET_SHAPE = new RegExp(`(${SECRET_PREFIXES.join('|')})[A-Za-z0-9_\\-+/=%]+`, 'g');

/** `text` with every secret-shaped value (`pbk_…`, `pbt_…`, `whsec_…`, `whk_…`, `pbs_…`) masked, wherever it stands. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_SHAPE, `$1${REDACTED}`);
}

/** Query parameters that carry a credential (seed 002 takes the API key as `?key=`). */
const SECRET_QUERY_PARAMS = new Set(['key', 'api_key', 'access_token', 'token', 'secret']);

/** Path segments that are credentials: the segment after each prefix. */
const SECRET_PATH_SEGMENTS: ReadonlyArray<[RegExp, string]> = [
  [/\/(v1\/send|v1\/callback|r|a|inbox)\/[^/]+/g, `/$1/${REDACTED}`],
  [/\/api\/webhooks\/([^/]+)\/[^/]+/g, `/api/webhooks/$1/${REDACTED}`],
];

/**
 * A URL (absolute, or a path as in `req.url`) fit for a log line: channel tokens in `/v1/send/…` and
 * `/v1/callback/…`, respond, approval-decision and inbox tokens (`/r/…`, `/a/…`, `/inbox/…`), room webhook secrets
 * (`/api/webhooks/<code>/…`), credential query parameters (`key=` and friends) and any secret-shaped value
 * (redactSecrets) are masked. Everything else is kept byte for byte.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);
  const redactedPath = SECRET_PATH_SEGMENTS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), path);
  return redactSecrets(redactedPath + (query === undefined ? '' : `?${redactQuery(query)}`) + fragment);
}

/**
 * A user's target URL (a webhook destination, an event endpoint, a room's outgoing webhook) fit for an operator's
 * log: its origin only. Such URLs often carry the receiver's own secret in the path or query (a Slack hook's
 * `/services/T…/B…/<secret>`); their owner sees the whole URL in the delivery log, the logs need only the host.
 */
export function redactTargetUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = parsed.pathname === '/' && !parsed.search ? '' : '/…';
    return `${parsed.protocol}//${parsed.host}${rest}`;
  } catch {
    return REDACTED;
  }
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return SECRET_QUERY_PARAMS.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * pino `redact.paths` for credentials in log objects: Authorization and Cookie headers (incoming, outgoing,
 * nested one level), credential fields of bodies. URLs are not covered by paths: log them through redactUrl.
 * Secret-shaped values anywhere in a line are masked as well (redactSecrets, run on every line the logger writes).
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  'headers["x-pingback-internal"]',
  'req.headers["x-pingback-internal"]',
  '*.headers["x-pingback-internal"]',
  'req.query.key',
  'req.body.key',
  'body.key',
  'api_key',
  '*.api_key',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'signing_secret',
  '*.signing_secret',
  'PINGBACK_SECRET_KEY',
  'PINGBACK_ADMIN_KEY',
  '*.PINGBACK_SECRET_KEY',
  '*.PINGBACK_ADMIN_KEY',
  '*.signingSecret',
  '*.signingSecrets',
  '*.apiKey',
];
