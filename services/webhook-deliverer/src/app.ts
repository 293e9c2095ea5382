import { isInfrastructureError } from '@pingback/db';
import { createErrorHandler, traceMiddleware } from '@pingback/http';
import { createInternalApp, type Logger, type ReadinessCheck } from '@pingback/observability';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { WebhookRepository } from './data/webhook.repository';
import { webhooksRoutes } from './http/webhooks.routes';

/** The internal port: /healthz, /readyz, /metrics, and the reads other services ask for. It never faces users. */
export function createApp(deps: {
  repo: WebhookRepository;
  logger: Logger;
  registry: Registry;
  checks: ReadinessCheck[];
  isStopping: () => boolean;
}): Express {
  const app = createInternalApp({ checks: deps.checks, registry: deps.registry, isStopping: deps.isStopping });
  app.use(traceMiddleware(deps.logger), webhooksRoutes(deps.repo), createErrorHandler(isInfrastructureError));
  return app;
}
