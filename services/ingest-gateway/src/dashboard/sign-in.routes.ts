import { AppError, notFound } from '@pingback/http';
import { constantTimeEqual } from '@pingback/security';
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { clientAddress } from '../auth/client-address';
import type { GatewayDeps } from '../gateway-deps';
import { createRouteFamily, type RouteFamily } from '../http/route-family';
import { signInPage } from '../pages/dashboard/sign-in-page';
import { dashboardErrors, formText } from './page-context';
import { endSession, fromOwnPages, requireSession, signedIn, startSession } from './dashboard-session';
import { clearCookie, cookieOf, SESSION_COOKIE, setCookie, SIGN_IN_COOKIE } from './session-cookie';

const SIGN_IN_FORM_LIFETIME_MS = 60 * 60_000;

/** Signing in with an API key and out again. */
export function signInRoutes(deps: GatewayDeps, form: RequestHandler): RouteFamily {
  const routes = createRouteFamily('dashboard', { guard: [form], foreign: notFound, onError: dashboardErrors });

  /**
   * The form carries a random value that must come back with the cookie of the same name (double submit). A browser
   * that already has one keeps it, so a second tab's form does not spoil the first's.
   */
  const showForm = (res: Parameters<RequestHandler>[1], req: Parameters<RequestHandler>[0], status: number, problem?: string) => {
    const formToken = cookieOf(req, SIGN_IN_COOKIE) ?? randomBytes(24).toString('base64url');
    setCookie(res, req, deps.publicUrl, SIGN_IN_COOKIE, formToken, SIGN_IN_FORM_LIFETIME_MS);
    signInPage(res, status, formToken, problem);
  };

  routes.get('/app/sign-in', (req, res) => showForm(res, req, 200));

  routes.post('/app/sign-in', async (req, res) => {
    const expected = cookieOf(req, SIGN_IN_COOKIE);
    const presented = formText(req, '_csrf');
    if (!fromOwnPages(req, deps.publicUrl) || !expected || !presented || !constantTimeEqual(expected, presented)) {
      return showForm(res, req, 403, 'The sign-in form had expired or came from elsewhere. Sign in again.');
    }
    const session = await startSession(deps, formText(req, 'api_key') ?? '');
    if (!session) {
      // A wrong key counts like any failed credential (CONTRACT §4), so the form cannot be used to guess keys.
      const answer = await deps.credentialFailures.refuse('dashboard', clientAddress(req), new AppError('unauthorized', 'not an active API key'));
      res.set(answer.headers);
      return showForm(res, req, answer.status, answer.code === 'rate_limited' ? 'Too many failed sign-ins from your address: wait a minute.' : 'That is not an active API key of any account.');
    }
    clearCookie(res, req, deps.publicUrl, SIGN_IN_COOKIE);
    setCookie(res, req, deps.publicUrl, SESSION_COOKIE, session.token, deps.dashboardSessionTtlMs);
    res.redirect(303, '/app');
  });

  routes.post('/app/sign-out', requireSession(deps), async (req, res) => {
    await endSession(deps, signedIn(req).token);
    clearCookie(res, req, deps.publicUrl, SESSION_COOKIE);
    res.redirect(303, '/app/sign-in');
  });

  routes.get('/app/sign-out', (req, res) => res.redirect(303, cookieOf(req, SESSION_COOKIE) ? '/app' : '/app/sign-in'));
  return routes;
}
