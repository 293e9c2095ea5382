import { generateSecret, hashCandidates, hashSecret, newId, signId, verifySignedId, constantTimeEqual, type Keyring } from '@pingback/security';
import type { Request, RequestHandler } from 'express';
import { SESSION_PREFIX } from '../auth/api-key';
import type { AccountRepository } from '../data/account.repository';
import type { ActiveSession, DashboardSessionRepository } from '../data/dashboard-session.repository';
import { dashboardErrorPage } from '../pages/dashboard/dashboard-layout';
import { cookieOf, SESSION_COOKIE } from './session-cookie';

export interface SessionDeps {
  publicUrl: string;
  accounts: AccountRepository;
  dashboardSessions: DashboardSessionRepository;
  keyring: Keyring;
  now: () => Date;
  dashboardSessionTtlMs: number;
  /** Marks the dashboard's own calls to the API, the only ones where its session token counts. Never logged. */
  internalCallCredential: string;
}

/** A signed-in request: its session, the token its cookie holds (the dashboard's API credential), its CSRF token. */
export interface SignedIn {
  session: ActiveSession;
  token: string;
  csrf: string;
  internalCallCredential: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the dashboard's guard. */
      dashboard?: SignedIn;
    }
  }
}

/** Signs in with an API key: a new session for it, or null when the key is not an active one. */
export async function startSession(deps: SessionDeps, apiKey: string): Promise<{ token: string } | null> {
  if (!apiKey.startsWith('pbk_') || apiKey.length > 256) return null;
  const key = await deps.accounts.findActiveKey(hashCandidates(deps.keyring, apiKey));
  if (!key) return null;
  const now = deps.now();
  await deps.dashboardSessions.deleteExpired(now);
  const token = generateSecret(SESSION_PREFIX);
  await deps.dashboardSessions.create({ id: newId('sess_'), tokenHash: hashSecret(deps.keyring, token), apiKeyId: key.id, expiresAt: new Date(now.getTime() + deps.dashboardSessionTtlMs) });
  return { token };
}

export async function endSession(deps: SessionDeps, token: string): Promise<void> {
  await deps.dashboardSessions.delete(hashCandidates(deps.keyring, token));
}

/** The CSRF token of a session: its id signed, so it needs no storage and dies with the session. */
const csrfTokenOf = (keyring: Keyring, sessionId: string) => signId(keyring, 'dashboard-csrf', sessionId);

/**
 * Every dashboard route: the session cookie must name a live session. Without one a page read goes to the sign-in
 * page and a form post is 401; a form post must also carry the session's CSRF token and come from the dashboard's
 * own origin (403 otherwise). Either way a refused post changes nothing.
 */
export function requireSession(deps: SessionDeps): RequestHandler {
  return async (req, res, next) => {
    const token = cookieOf(req, SESSION_COOKIE);
    const session = token ? await deps.dashboardSessions.findActive(hashCandidates(deps.keyring, token), deps.now()) : null;
    if (!token || !session) {
      if (isRead(req)) return void res.redirect(303, '/app/sign-in');
      return dashboardErrorPage(res, 401, 'Signed out', 'Your session has ended. Sign in again; nothing was changed.');
    }
    if (!isRead(req) && !(fromOwnPages(req, deps.publicUrl) && csrfMatches(deps.keyring, req, session.id))) {
      return dashboardErrorPage(res, 403, 'Refused', 'This form is stale or did not come from this dashboard; nothing was changed. Reload the page and try again.');
    }
    req.dashboard = { session, token, csrf: csrfTokenOf(deps.keyring, session.id), internalCallCredential: deps.internalCallCredential };
    next();
  };
}

export const isRead = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

/**
 * Whether a form post came from one of the dashboard's own pages, as far as the browser says: another origin of the
 * same site (another port, a sibling subdomain) can plant cookies, so a matching cookie alone does not prove it.
 * A client that sends neither header is not a browser acting for someone, so it cannot be a forged request.
 */
export function fromOwnPages(req: Request, publicUrl: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = req.get('origin');
  if (origin === undefined) return true;
  return origin === new URL(publicUrl).origin || origin === `${req.protocol}://${req.get('host') ?? ''}`;
}

function csrfMatches(keyring: Keyring, req: Request, sessionId: string): boolean {
  const presented: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof presented !== 'string') return false;
  const signed = verifySignedId(keyring, 'dashboard-csrf', presented);
  return signed !== null && constantTimeEqual(signed, sessionId);
}

export function signedIn(req: Request): SignedIn {
  if (!req.dashboard) throw new Error('dashboard route without its session guard');
  return req.dashboard;
}
