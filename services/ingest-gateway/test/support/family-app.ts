import { createErrorHandler, createHttpApp, notFound } from '@pingback/http';
import { createLogger } from '@pingback/observability';
import type { Express } from 'express';
import { methodNotAllowed } from '../../src/http/method-not-allowed';
import type { RouteFamily } from '../../src/http/route-family';

/** An app made only of the given families, mounted in the given order, ended the way the gateway ends its app. */
export function familyApp(families: RouteFamily[]): Express {
  const app = createHttpApp({ logger: createLogger('gateway-auth-test', process.env.TEST_LOG_LEVEL ?? 'silent') });
  for (const family of families) app.use(family.router);
  app.use(methodNotAllowed(families));
  app.use(() => {
    throw notFound('route');
  });
  app.use(createErrorHandler());
  return app;
}
