import { DEFAULT_LIMITS, findJsonProblems } from '@pingback/contracts';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import { AppError, validationFailedFields } from './app-error';
import { fieldPath } from './error-handler';
import { requestMetrics } from './request-metrics';
import { traceMiddleware } from './trace';

export interface AppOptions {
  logger: Logger;
  httpDuration?: Histogram<'method' | 'route' | 'status'>;
}

/** An express app with trace ids and latency metrics. Body parsing is per route: limits differ by route. */
export function createHttpApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(traceMiddleware(options.logger));
  if (options.httpDuration) app.use(requestMetrics(options.httpDuration));
  app.use(refuseNulInUrl);
  return app;
}

/**
 * A `%00` in the path or query would reach Postgres as a NUL in a lookup, which it refuses (CONTRACT §4: 400 on
 * every route). A path that does not percent-decode at all is the error handler's (the router reports it).
 */
const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.url)) return next(validationFailedFields([{ path: 'url', message: 'must not contain NUL characters (%00)' }]));
  next();
};

export interface JsonBodyOptions {
  /** How deeply objects and arrays may nest (CONTRACT §4's limit, `PINGBACK_LIMIT_JSON_DEPTH`). */
  maxDepth?: number;
  /**
   * Pings: a body that is not JSON and not labelled as JSON (`curl --data-raw "$log"`, text/plain) is kept as
   * `{ [keepTextAs]: "<the body>" }` rather than refused, so a ping that carries its job's output is not lost.
   */
  keepTextAs?: string;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * JSON body parser: a body labelled as something other than JSON gets 415. An unlabelled body, or one
 * labelled as a form (what `curl -d` sends without `-H`), is read as JSON: scripts often forget the header.
 * The size limit counts the body after decompression. Whatever Postgres could not store, anywhere in the body
 * (a NUL or an unpaired surrogate, in a value or a key), nesting deeper than `maxDepth`, `__proto__` keys and
 * numbers too large to be finite get 400 validation_failed before any route sees the body.
 */
export function jsonBody(limitBytes: number, options: JsonBodyOptions = {}): RequestHandler {
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.jsonDepth;
  const parse = express.json({
    limit: limitBytes,
    type: () => true,
    verify: (req, _res, buf) => {
      (req as unknown as { rawBody: Buffer }).rawBody = buf;
    },
  });
  return (req, res, next) => {
    const type = req.get('content-type');
    if (type && !JSON_TYPE.test(type) && !FORM_TYPE.test(type) && !options.keepTextAs && req.get('content-length') !== '0') {
      return next(new AppError('unsupported_media_type', 'send the body as application/json'));
    }
    parse(req, res, (err?: unknown) => {
      if (err && options.keepTextAs && isParseFailure(err) && !(type && JSON_TYPE.test(type))) {
        req.body = { [options.keepTextAs]: (req as unknown as { rawBody: Buffer }).rawBody.toString('utf8') };
      } else if (err) return next(err);
      const problems = findJsonProblems(req.body, { maxDepth });
      if (problems.length > 0) return next(validationFailedFields(problems.map((p) => ({ path: fieldPath(p.path), message: p.message }))));
      next();
    });
  };
}

const isParseFailure = (err: unknown) => (err as { type?: unknown }).type === 'entity.parse.failed';
