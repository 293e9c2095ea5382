import { loadLimits, type Limits } from '@pingback/contracts';
import { createErrorHandler, createHttpApp, notFound } from '@pingback/http';
import { isInfrastructureError } from '@pingback/db';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { GatewayDeps } from './gateway-deps';
import { adminRoutes } from './http/admin.routes';
import { inboxRoutes } from './http/inbox.routes';
import { managementRoutes } from './http/management.routes';
import { openApiDocument } from './http/openapi';
import { respondRoutes } from './http/respond.routes';
import { sendRoutes } from './http/send.routes';

/** The public edge: every route Pingback exposes, on one express app. It never listens by itself. */
export function createGatewayApp(
  deps: GatewayDeps,
  options: { logger: Logger; httpDuration?: Histogram<'method' | 'route' | 'status'>; limits?: Limits },
): Express {
  const app = createHttpApp({ logger: options.logger, ...(options.httpDuration ? { httpDuration: options.httpDuration } : {}) });
  const document = openApiDocument(deps.publicUrl);
  app.get('/openapi.json', (_req, res) => void res.json(document));
  app.use(sendRoutes(deps, options.limits ?? loadLimits()));
  app.use(respondRoutes(deps));
  app.use(inboxRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(managementRoutes(deps));
  app.use(() => {
    throw notFound('route');
  });
  app.use(createErrorHandler(isInfrastructureError));
  return app;
}
