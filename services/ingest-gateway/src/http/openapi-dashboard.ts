import { dashboardRoutes } from '../dashboard/dashboard.routes';
import type { GatewayDeps } from '../gateway-deps';
import { SendResponse } from '@pingback/contracts';
import { error, managed, ok, page, path, pathParameters, toOpenApiPath } from './openapi-helpers';

/** Every form carries the session's CSRF token (the sign-in form its own double-submit value); the rest are the page's fields. */
const form = {
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { _csrf: { type: 'string' } }, required: ['_csrf'], additionalProperties: { type: 'string' } } } },
};
const SIGNED_IN = 'the pingback_session cookie (HttpOnly, SameSite=Strict, path /app) from signing in with an API key';

/**
 * The dashboard's pages under /app: HTML for people, not an API. Listed from the dashboard's own router table, so
 * none is missed: a GET is a page (303 to /app/sign-in without a session), a POST a form (urlencoded, with the
 * session's `_csrf`; 401 without a session, 403 with a wrong token, and nothing changes).
 */
function dashboardPages() {
  const paths: Record<string, Record<string, unknown>> = {};
  // Building the routes reads nothing from their dependencies.
  for (const family of dashboardRoutes({} as GatewayDeps)) {
    for (const route of family.routes) {
      const documented = toOpenApiPath(route.path);
      const parameters = pathParameters(route.path);
      const publicPage = route.path === '/app/sign-in' || (route.path === '/app/sign-out' && route.method === 'get');
      const summary =
        route.method === 'get'
          ? `Dashboard page (HTML)${publicPage ? '' : `; needs ${SIGNED_IN}`}`
          : `Dashboard form (application/x-www-form-urlencoded with _csrf)${route.path === '/app/sign-in' ? ': api_key signs in' : `; needs ${SIGNED_IN}`}`;
      const responses =
        route.method === 'get'
          ? { 200: page(), 303: error('to /app/sign-in without a session'), 404: page('not found, or not this account\'s') }
          : {
              200: page('done: the page shows a result (a secret shown once is 201)'),
              201: page('made: the page shows its secret, once'),
              303: error('done: to the page that shows it'),
              400: page('the form could not be read, or the API refused a field'),
              401: page('no session: nothing changed'),
              403: page('a wrong or missing CSRF token, or a post from another origin: nothing changed'),
              404: page("not found, or not this account's"),
              409: page('the API refused it as it stands (a limit, a state)'),
              413: page('the form is too large'),
              422: page('the API refused a URL (unsafe_url)'),
              429: page('too many failed sign-ins, or the API rate limit'),
            };
      const operation = { summary, ...(parameters.length ? { parameters } : {}), ...(route.method === 'get' ? {} : { requestBody: form }), responses };
      paths[documented] = { ...paths[documented], [route.method]: operation };
    }
  }
  return paths;
}

/** The dashboard's pages, and the one management route it added: a test message to a channel by its id. */
export function dashboardPaths() {
  return {
    ...dashboardPages(),
    '/api/channels/{id}/test': {
      post: {
        ...managed,
        summary: 'Send a test notification (with an OK button) to the channel, as a send with its token would; same rate limit',
        parameters: [path('id')],
        responses: { 201: ok(SendResponse, 'the test message: {ok: true, id}'), 404: error('not_found'), 429: error('rate_limited') },
      },
    },
  };
}
