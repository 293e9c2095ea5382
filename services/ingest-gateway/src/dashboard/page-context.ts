import type { ErrorRequestHandler, Request, Response } from 'express';
import { escapeHtml } from '../pages/escape-html';
import { dashboardErrorPage, sendDashboardPage, type DashboardPage } from '../pages/dashboard/dashboard-layout';
import { signedIn } from './dashboard-session';
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

/** The dashboard's errors as pages: the API's refusals with their status and message, anything else as a 500. */
export const dashboardErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const refusal = err instanceof ApiRefusal ? err : null;
  // A form the body parser refused (too large, badly encoded) is the sender's mistake, with the parser's status.
  const unreadable = !refusal && isClientError(err) ? err.status : undefined;
  if (refusal) req.log?.info({ code: refusal.code, status: refusal.status }, 'dashboard: the API refused');
  else if (unreadable) req.log?.info({ status: unreadable }, 'dashboard: unreadable form');
  else req.log?.error({ err }, 'dashboard page failed');
  const status = refusal?.status ?? unreadable ?? 500;
  const message = refusal
    ? `${refusal.message} [${refusal.code}]`
    : unreadable
      ? 'The form could not be read (too large, or not a form); nothing was changed.'
      : 'Something went wrong on our side; nothing was lost. Try again in a moment.';
  if (!req.dashboard) return dashboardErrorPage(res, status, 'Error', message);
  sendDashboardPage(res, { status, title: status === 404 ? 'Not found' : 'Refused', section: '', csrf: req.dashboard.csrf, content: `<p class="notice error">${escapeHtml(message)}</p><p><a href="/app">Back to the overview</a></p>` });
};

const isClientError = (err: unknown): err is { status: number } =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && (err as { status: number }).status >= 400 && (err as { status: number }).status < 500;
