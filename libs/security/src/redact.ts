export const REDACTED = '[REDACTED]';

/** Query parameters that carry a credential (seed 002 takes the API key as `?key=`). */
const SECRET_QUERY_PARAMS = new Set(['key', 'api_key', 'access_token', 'token', 'secret']);

/** Path segments that are credentials: the segment after each prefix. */
const SECRET_PATH_SEGMENTS: ReadonlyArray<[RegExp, string]> = [
  [/\/(v1\/send|v1\/callback|r|inbox)\/[^/]+/g, `/$1/${REDACTED}`],
  [/\/api\/webhooks\/([^/]+)\/[^/]+/g, `/api/webhooks/$1/${REDACTED}`],
];

/**
 * A URL (absolute, or a path as in `req.url`) fit for a log line: channel tokens in `/v1/send/…` and
 * `/v1/callback/…`, respond and inbox tokens (`/r/…`, `/inbox/…`), room webhook secrets
 * (`/api/webhooks/<code>/…`) and credential query parameters (`key=` and friends) are masked.
 * Everything else is kept byte for byte.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);
  const redactedPath = SECRET_PATH_SEGMENTS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), path);
  return redactedPath + (query === undefined ? '' : `?${redactQuery(query)}`) + fragment;
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
