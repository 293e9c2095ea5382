import type { ErrorRequestHandler, Request, Response } from 'express';
import { escapeHtml } from '../pages/escape-html';
import { dashboardErrorPage, sendDashboardPage, type DashboardPage } from '../pages/dashboard/dashboard-layout';
import { isRead, signedIn } from './dashboard-session';
import { apiAs, type Api, type ApiAnswer } from './self-api';

/** What the public API said when it refused a page's call: shown to the user as it is, with its status. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PageContext {
  api: Api;
  csrf: string;
  /** Sends a page of this session (its CSRF token in the sign-out form). */
  send: (page: Omit<DashboardPage, 'csrf'>) => void;
}

export function contextOf(req: Request, res: Response): PageContext {
  const { token, csrf, internalCallCredential } = signedIn(req);
  return { api: apiAs(req, token, internalCallCredential), csrf, send: (page) => sendDashboardPage(res, { ...page, csrf }) };
}

/** The body of a 2xx answer; any other is an ApiRefusal. */
export function accepted<T>(answer: ApiAnswer<T>): T {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const body = answer.body as { error?: unknown; message?: unknown; fields?: Array<{ path: string; message: string }> };
  const fields = Array.isArray(body.fields) ? ` (${body.fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : '';
  throw new ApiRefusal(answer.status, String(body.error ?? 'error'), `${String(body.message ?? 'the request was refused')}${fields}`);
}

/**
 * A form post that makes one change through the API and then shows `back` (303). A refusal throws, so the user sees
 * the API's own status and message instead.
 */
export async function changeThenShow(req: Request, res: Response, change: { method: 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown }, back: string): Promise<void> {
  const body = change.method === 'DELETE' ? undefined : (change.body ?? {});
  accepted(await contextOf(req, res).api(change.path, { method: change.method, body }));
  res.redirect(303, back);
}

/** A form's text field, trimmed; undefined when left empty. */
export function formText(req: Request, name: string): string | undefined {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A form's number field; undefined when left empty, NaN (refused by the API) when not a number. */
export function formNumber(req: Request, name: string): number | undefined {
  const text = formText(req, name);
  return text === undefined ? undefined : Number(text);
}

/** What a failed page says: its status, its title, its message, and how loudly it is logged. */
function describeFailure(err: unknown): { status: number; title: string; message: string; level: 'info' | 'warn' | 'error' } {
  if (err instanceof ApiRefusal && err.status >= 500) {
    return { status: 503, title: 'Unavailable', message: `Pingback could not do this just now (${err.code}); nothing was lost. Try again in a moment.`, level: 'warn' };
  }
  if (err instanceof ApiRefusal) return { status: err.status, title: err.status === 404 ? 'Not found' : 'Refused', message: `${err.message} [${err.code}]`, level: 'info' };
  // A form the body parser refused (too large, badly encoded) is the sender's mistake, with the parser's status.
  if (isClientError(err)) return { status: err.status, title: 'Refused', message: 'The form could not be read (too large, or not a form); nothing was changed.', level: 'info' };
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { status: 503, title: 'Unavailable', message: 'Pingback took too long to answer; nothing was lost. Try again in a moment.', level: 'warn' };
  }
  return { status: 500, title: 'Error', message: 'Something went wrong on our side; nothing was lost. Try again in a moment.', level: 'error' };
}

/**
 * The dashboard's errors as pages: the API's refusals with their status and message, its failures and time-outs as
 * 503, anything else as a 500. A session that ended while the page was being made (the key was revoked) goes back to
 * sign-in.
 */
export const dashboardErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ApiRefusal && err.status === 401 && isRead(req)) return void res.redirect(303, '/app/sign-in');
  const failure = describeFailure(err);
  req.log?.[failure.level]({ ...(failure.level === 'error' ? { err } : {}), status: failure.status }, `dashboard: ${failure.title.toLowerCase()}`);
  if (!req.dashboard) return dashboardErrorPage(res, failure.status, failure.title, failure.message);
  sendDashboardPage(res, {
    status: failure.status,
    title: failure.title,
    section: '',
    csrf: req.dashboard.csrf,
    content: `<p class="notice error">${escapeHtml(failure.message)}</p><p><a href="/app">Back to the overview</a></p>`,
  });
};

const isClientError = (err: unknown): err is { status: number } =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && (err as { status: number }).status >= 400 && (err as { status: number }).status < 500;
