import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import { AppError } from './app-error';
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
  return app;
}

/**
 * JSON body parser: a body labelled as something other than JSON gets 415. An unlabelled body, or one
 * labelled as a form (what `curl -d` sends without `-H`), is read as JSON: scripts often forget the header.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    type: () => true,
    verify: (req, _res, buf) => {
      (req as unknown as { rawBody: Buffer }).rawBody = buf;
    },
  });
  return (req, res, next) => {
    const type = req.get('content-type');
    if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type) && !/^application\/x-www-form-urlencoded\b/i.test(type) && req.get('content-length') !== '0') {
      return next(new AppError('unsupported_media_type', 'send the body as application/json'));
    }
    parse(req, res, next);
  };
}
