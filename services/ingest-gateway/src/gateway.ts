import { loadLimits, type Limits } from '@pingback/contracts';
import { createErrorHandler, createHttpApp, notFound } from '@pingback/http';
import { isInfrastructureError } from '@pingback/db';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { GatewayDeps } from './gateway-deps';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { adminRoutes } from './http/admin.routes';
import { approvalLinkRoutes } from './http/approval-link.routes';
import { approvalRoutes } from './http/approval.routes';
import { publicRouter } from './http/families';
import { inboxRoutes, pushWorkerRoutes } from './http/inbox.routes';
import { managementRoutes } from './http/management.routes';
import { methodNotAllowed } from './http/method-not-allowed';
import { docsRoutes } from './http/docs.routes';
import { openApiDocument } from './http/openapi';
import { respondRoutes } from './http/respond.routes';
import { roomFireRoutes } from './http/room-fire.routes';
import { roomRoutes } from './http/room.routes';
import type { RouteFamily } from './http/route-family';
import { sendRoutes } from './http/send.routes';
import { telegramRoutes } from './http/telegram.routes';
import { trackerRoutes } from './http/tracker.routes';

/** Every documented route of the public API, by family. Building them touches no dependency. */
export const apiFamilies = (deps: GatewayDeps, limits: Limits): RouteFamily[] => [
  sendRoutes(deps, limits),
  respondRoutes(deps),
  approvalLinkRoutes(deps),
  inboxRoutes(deps),
  pushWorkerRoutes(),
  adminRoutes(deps),
  managementRoutes(deps),
  roomRoutes(deps),
  roomFireRoutes(deps),
  telegramRoutes(deps, deps.telegramBot),
  ...trackerRoutes(deps),
  ...approvalRoutes(deps),
  ...dashboardRoutes(deps),
];

/**
 * The public edge: every route Pingback exposes, on one express app. It never listens by itself. Each family
 * authenticates inside its own routes, so the order below changes nothing about who gets in.
 */
export function createGatewayApp(
  deps: GatewayDeps,
  options: { logger: Logger; httpDuration?: Histogram<'method' | 'route' | 'status'>; limits?: Limits },
): Express {
  const app = createHttpApp({ logger: options.logger, ...(options.httpDuration ? { httpDuration: options.httpDuration } : {}) });
  const document = openApiDocument(deps.publicUrl);
  const docs = publicRouter().get('/openapi.json', (_req, res) => void res.json(document));
  const families = [docs, docsRoutes(), ...apiFamilies(deps, options.limits ?? loadLimits())];
  for (const family of families) app.use(family.router);
  app.use(methodNotAllowed(families));
  app.use(() => {
    throw notFound('route');
  });
  app.use(createErrorHandler(isInfrastructureError));
  return app;
}
