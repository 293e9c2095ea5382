import { jsonBody } from '@pingback/http';
import express, { type Request, type RequestHandler } from 'express';

/** Whether the body is a urlencoded form (a page's `<form method="post">`) rather than JSON. */
export const isForm = (req: Request) => req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

/**
 * A link page's POST: its own form, sent urlencoded (the pages work without JavaScript), or JSON from a program.
 * Either is read up to `limitBytes`; the route answers a form with a page and JSON with JSON.
 */
export function formOrJsonBody(limitBytes: number): RequestHandler {
  const form = express.urlencoded({ extended: false, limit: limitBytes });
  const json = jsonBody(limitBytes);
  return (req, res, next) => (isForm(req) ? form : json)(req, res, next);
}
