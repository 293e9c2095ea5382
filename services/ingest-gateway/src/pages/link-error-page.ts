import { AppError } from '@pingback/http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { escapeHtml } from './escape-html';
import { sendPage } from './layout';

/** A person opened the link in a browser (or posted the page's form): answer with a page, not JSON. */
export const wantsPage = (req: Request) =>
  req.method === 'GET' || req.method === 'HEAD' || req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

function noticeFor(err: AppError): string {
  switch (err.code) {
    case 'not_found':
      return 'This link is not valid.';
    case 'link_expired':
      return 'This request has expired.';
    case 'rate_limited':
      return `Too many invalid links were opened from your address. Try again in ${String(err.details.retry_after ?? 60)} seconds.`;
    default:
      return err.message;
  }
}

/** The page for a link that cannot be shown (invalid, expired, throttled), with the error's status and headers. */
export function errorPage(res: Response, err: AppError): void {
  res.set(err.headers);
  sendPage(res, err.status, 'Pingback', `<p class="notice">${escapeHtml(noticeFor(err))}</p>`);
}

/** The link families' error handler: pages for browsers; JSON callers and 5xx go on to the JSON error handler. */
export const linkErrorPage: ErrorRequestHandler = (err, req, res, next) => {
  if (!(err instanceof AppError) || err.status >= 500 || !wantsPage(req) || res.headersSent) return next(err);
  req.log?.info({ code: err.code }, err.message);
  errorPage(res, err);
};
