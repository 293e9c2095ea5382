import { dirname, join } from 'node:path';
import type { Response } from 'express';
import { publicRouter } from './families';
import type { RouteFamily } from './route-family';

/** swagger-ui-dist's files, served from the installed package: the page loads nothing from anywhere else. */
const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));

// Swagger UI styles elements inline as it renders, so styles may be inline; scripts, fetches and images are this origin's only.
const POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Pingback API</title><link rel="icon" href="/docs/assets/favicon-32x32.png"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>' +
  '<body><div id="docs"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/start.js"></script></body></html>';

// No validator badge: it would send the document to validator.swagger.io.
const START = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', validatorUrl: null, deepLinking: true });\n";

const locked = (res: Response) => res.set({ 'Content-Security-Policy': POLICY, 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' });

/** `/docs`: the OpenAPI document (`/openapi.json`) rendered by Swagger UI, every file served by the gateway itself. */
export function docsRoutes(): RouteFamily {
  const family = publicRouter();
  family.get('/docs', (_req, res) => void locked(res).type('html').send(PAGE));
  family.get('/docs/start.js', (_req, res) => void locked(res).type('application/javascript').send(START));
  // The files the page uses, and no other file of the package (its demo page would fetch a petstore).
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']) {
    // `dotfiles: 'allow'`: pnpm installs packages under node_modules/.pnpm, a path `send` would refuse by default.
    family.get(`/docs/assets/${file}`, (_req, res) => void locked(res).sendFile(join(SWAGGER_UI, file), { maxAge: '1h', dotfiles: 'allow' }));
  }
  return family;
}
