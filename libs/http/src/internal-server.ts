import { createInternalApp, type ReadinessCheck } from '@pingback/observability';
import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { notFound } from './app-error';
import { INTERNAL_CALL_HEADER } from './internal-client';
import { createErrorHandler, type InfrastructureErrorTest } from './error-handler';
import { startHttpServer, type RunningServer } from './start-server';
import { traceMiddleware } from './trace';

export interface InternalServerOptions {
  port: number;
  /** Loopback by default (INTERNAL_HOST widens it). */
  host?: string;
  /** Whether an X-Pingback-Internal value is one of our services' credentials (libs/security internalCallCheck). */
  isInternalCredential: (value: string | undefined) => boolean;
  logger: Logger;
  registry: Registry;
  checks: ReadinessCheck[];
  routes?: Router;
  isInfrastructureError?: InfrastructureErrorTest;
}

export interface InternalServer extends RunningServer {
  /** Makes /readyz answer 503 at once, so load balancers stop sending work before the rest stops. */
  markStopping(): void;
}

/** Every service's internal port: /healthz, /readyz, /metrics, and the owner's read routes. */
export async function startInternalServer(options: InternalServerOptions): Promise<InternalServer> {
  let stopping = false;
  const app = createInternalApp({ registry: options.registry, checks: options.checks, isStopping: () => stopping });
  const notFoundRoute = () => {
    throw notFound('route');
  };
  app.use(traceMiddleware(options.logger), requireInternalCredential(options.isInternalCredential), ...(options.routes ? [options.routes] : []), notFoundRoute, createErrorHandler(options.isInfrastructureError));
  const server = await startHttpServer(app, options.port, options.host ?? '127.0.0.1');
  return { ...server, markStopping: () => void (stopping = true) };
}

/**
 * Every route after /healthz, /readyz and /metrics (which stay open for probes and scrapers) answers only our own
 * services: a request we were made to send for a user (a webhook or callback URL aimed at this port) never
 * carries the credential. 404, as for a route that does not exist, so nothing about the routes is revealed. No
 * path test here: express matches routes case-insensitively, so `/INTERNAL/...` must be refused as well.
 */
function requireInternalCredential(isInternalCredential: (value: string | undefined) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (isInternalCredential(req.get(INTERNAL_CALL_HEADER))) return next();
    next(notFound('route'));
  };
}
