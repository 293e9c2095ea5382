import { createInternalApp, type ReadinessCheck } from '@pingback/observability';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { notFound } from './app-error';
import { createErrorHandler, type InfrastructureErrorTest } from './error-handler';
import { startHttpServer, type RunningServer } from './start-server';
import { traceMiddleware } from './trace';

export interface InternalServerOptions {
  port: number;
  /** Loopback by default: internal routes carry no credentials of their own (INTERNAL_HOST widens it). */
  host?: string;
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
  app.use(traceMiddleware(options.logger), ...(options.routes ? [options.routes] : []), notFoundRoute, createErrorHandler(options.isInfrastructureError));
  const server = await startHttpServer(app, options.port, options.host ?? '127.0.0.1');
  return { ...server, markStopping: () => void (stopping = true) };
}
